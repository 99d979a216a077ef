import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { SseProvider } from 'react-sse-hub';
import { App } from './App';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <SseProvider>
      <App />
    </SseProvider>
  </StrictMode>,
);
