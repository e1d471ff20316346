/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // The agent SDK and sqlite live in the custom server process; a route bundle must never carry them.
  serverExternalPackages: ['@anthropic-ai/claude-agent-sdk', 'better-sqlite3'],
};

export default nextConfig;
