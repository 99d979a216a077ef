import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  // This folder has its own lockfile inside a repo that has another one: pin the workspace root
  // here so Turbopack does not pick the repo root (and its node_modules) when run in place.
  turbopack: { root: __dirname },
  outputFileTracingRoot: __dirname,
};

export default nextConfig;
