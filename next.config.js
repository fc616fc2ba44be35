/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Native addons and the pg driver stay plain runtime requires instead of being bundled.
  serverExternalPackages: ["pg", "@prisma/adapter-pg", "@node-rs/argon2"],
};

export default nextConfig;
