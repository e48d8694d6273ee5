// Next.js calls register() once per server start: migrations and recovery run before the first request.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    // First, so every request is stamped with the address it really came from (lib/http/client-address.ts).
    const { installPeerAddressStamp } = await import("./lib/http/client-address");
    installPeerAddressStamp();
    const { startup } = await import("./lib/startup");
    await startup();
  }
}
