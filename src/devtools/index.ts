export { SseDevtools } from './sse-devtools';
export type { SseDevtoolsProps } from './sse-devtools';
