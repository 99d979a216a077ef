import type { CSSProperties } from 'react';
import type { StreamStatus } from '../core/types';

/** Inline styles: the panel ships no CSS file and inherits nothing it depends on. */
export const STATUS_COLORS: Record<StreamStatus, string> = {
  open: '#1f8a5b',
  connecting: '#3a63d8',
  reconnecting: '#b7791f',
  queued: '#7b5cc4',
  paused: '#718096',
  closed: '#c2413b',
};

export const panel: CSSProperties = {
  font: '12px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace',
  border: '1px solid #d5dae1',
  borderRadius: 8,
  background: '#fff',
  color: '#1d2330',
  overflow: 'hidden',
  textAlign: 'left',
};

export const header: CSSProperties = {
  all: 'unset',
  boxSizing: 'border-box',
  cursor: 'pointer',
  display: 'flex',
  alignItems: 'center',
  gap: 8,
  width: '100%',
  padding: '7px 10px',
  fontWeight: 600,
  background: '#1e2330',
  color: '#e6eaf0',
};

export const row: CSSProperties = { borderTop: '1px solid #edf0f3', padding: '7px 10px' };
export const muted: CSSProperties = { color: '#5f6b7a' };
/** One line, cut with an ellipsis: URLs and payload previews can be any length (nowrap also folds a payload's newlines). */
export const oneLine: CSSProperties = { whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis' };
export const pill = (status: StreamStatus): CSSProperties => ({
  background: STATUS_COLORS[status],
  color: '#fff',
  borderRadius: 9,
  padding: '0 7px',
  fontSize: 11,
  lineHeight: '17px',
  fontWeight: 600,
  whiteSpace: 'nowrap',
});
export const toggle: CSSProperties = { all: 'unset', cursor: 'pointer', color: '#3a63d8', fontSize: 11 };
export const pre: CSSProperties = {
  margin: '2px 0 4px 14px',
  padding: '6px 8px',
  background: '#f6f7f9',
  borderRadius: 5,
  whiteSpace: 'pre-wrap',
  wordBreak: 'break-word',
  maxHeight: 160,
  overflow: 'auto',
};
