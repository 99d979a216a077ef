export { SseDevtools } from './SseDevtools';
export type { SseDevtoolsProps } from './SseDevtools';
