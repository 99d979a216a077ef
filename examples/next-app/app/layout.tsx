// A Server Component: renders the client SseProvider directly, no client wrapper file.
import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { SseProvider } from 'react-sse-hub';

export const metadata: Metadata = {
  title: 'react-sse-hub + Next.js',
  icons: { icon: 'data:,' },
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <SseProvider>{children}</SseProvider>
      </body>
    </html>
  );
}
