// Root layout: font (bundled, no network), global styles, the tRPC/React Query provider.
import type { Metadata, Viewport } from "next";
import { connection } from "next/server";
import localFont from "next/font/local";
import "./globals.css";
import { TrpcProvider } from "./_trpc/provider";

const inter = localFont({
  src: "../node_modules/@fontsource-variable/inter/files/inter-latin-wght-normal.woff2",
  weight: "100 900",
  variable: "--font-inter",
});

export const metadata: Metadata = { title: "prefloop", description: "Preference data collection for RLHF" };
export const viewport: Viewport = { width: "device-width", initialScale: 1 };

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // Every page renders per request: the Content-Security-Policy nonce (proxy.ts) is new each time, and a
  // page prerendered at build time would carry scripts without it. It also keeps pages out of caches.
  await connection();
  return (
    <html lang="en" className={inter.variable}>
      <body className="min-h-screen font-sans">
        <TrpcProvider>{children}</TrpcProvider>
      </body>
    </html>
  );
}
