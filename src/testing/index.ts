export { createMockTransport } from './mock-transport';
export type { MockRequest, MockTransport } from './mock-transport';
