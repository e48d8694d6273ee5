// The SSRF guard for the live view: the app fetches a URL a user typed, so only http(s) is allowed, cloud metadata and
// link-local addresses are always refused, and private or loopback addresses are refused unless allowed explicitly.
// Addresses are checked when the URL is parsed (IP literals) and again when a host name resolves (DNS rebinding).
import dns from "node:dns";
import net from "node:net";
import { AppError } from "../../core/errors";

/** Never reachable from the live view, whatever the configuration. */
const ALWAYS_BLOCKED = new net.BlockList();
ALWAYS_BLOCKED.addSubnet("0.0.0.0", 8, "ipv4");
ALWAYS_BLOCKED.addSubnet("169.254.0.0", 16, "ipv4"); // link-local, incl. 169.254.169.254 cloud metadata
ALWAYS_BLOCKED.addAddress("100.100.100.200", "ipv4"); // Alibaba Cloud metadata
ALWAYS_BLOCKED.addSubnet("192.0.0.0", 24, "ipv4");
ALWAYS_BLOCKED.addSubnet("224.0.0.0", 4, "ipv4"); // multicast
ALWAYS_BLOCKED.addSubnet("240.0.0.0", 4, "ipv4"); // reserved and broadcast
ALWAYS_BLOCKED.addAddress("::", "ipv6");
ALWAYS_BLOCKED.addSubnet("fe80::", 10, "ipv6"); // link-local
ALWAYS_BLOCKED.addSubnet("ff00::", 8, "ipv6"); // multicast
ALWAYS_BLOCKED.addAddress("fd00:ec2::254", "ipv6"); // AWS metadata over IPv6
ALWAYS_BLOCKED.addSubnet("64:ff9b::", 96, "ipv6"); // NAT64: would reach IPv4 ranges indirectly

/** Loopback and private networks: refused unless LAUNCH_REVIEW_LIVE_ALLOW_PRIVATE=1 (tests, local development). */
const PRIVATE = new net.BlockList();
PRIVATE.addSubnet("127.0.0.0", 8, "ipv4");
PRIVATE.addSubnet("10.0.0.0", 8, "ipv4");
PRIVATE.addSubnet("172.16.0.0", 12, "ipv4");
PRIVATE.addSubnet("192.168.0.0", 16, "ipv4");
PRIVATE.addSubnet("100.64.0.0", 10, "ipv4"); // carrier-grade NAT
PRIVATE.addSubnet("198.18.0.0", 15, "ipv4"); // benchmarking
PRIVATE.addAddress("::1", "ipv6");
PRIVATE.addSubnet("fc00::", 7, "ipv6"); // unique local

const BLOCKED_NAMES = /^(?:metadata|metadata\.google\.internal|metadata\.goog|instance-data|instance-data\.ec2\.internal)\.?$/i;
const LOCAL_NAMES = /^(?:localhost|.+\.localhost)\.?$/i;

/** Why a host name (not an address) may not be contacted, or null: cloud metadata names always, local names unless allowed. */
export function blockedHostName(host: string, options: GuardOptions): string | null {
  if (BLOCKED_NAMES.test(host)) return "a cloud metadata host";
  if (!options.allowPrivate && LOCAL_NAMES.test(host)) return "a private or loopback address";
  return null;
}

export interface GuardOptions {
  allowPrivate: boolean;
}

/** Why an address may not be contacted, or null when it may. */
export function blockedReason(address: string, options: GuardOptions): string | null {
  const family = net.isIP(address);
  if (family === 0) return "not an IP address";
  const type = family === 4 ? "ipv4" : "ipv6";
  if (ALWAYS_BLOCKED.check(address, type)) return "a link-local, metadata or reserved address";
  if (!options.allowPrivate && PRIVATE.check(address, type)) return "a private or loopback address";
  return null;
}

/** Parses and checks a URL before anything is sent. Throws an AppError with a message fit for the user. */
export function checkLiveUrl(raw: string, options: GuardOptions): URL {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new AppError("invalid:live_url", "Enter a full URL, such as https://mcp.example.com/mcp.");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:")
    throw new AppError("invalid:live_url", "Only http and https URLs are allowed.");
  if (url.username || url.password) throw new AppError("invalid:live_url", "Put credentials in the token field, not in the URL.");
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (BLOCKED_NAMES.test(host)) throw new AppError("forbidden:live_url", `${host} is a cloud metadata host and is never contacted.`);
  if (!options.allowPrivate && LOCAL_NAMES.test(host))
    throw new AppError("forbidden:live_url", `${host} is a private or loopback address and is not contacted.`);
  if (net.isIP(host)) {
    const reason = blockedReason(host, options);
    if (reason) throw new AppError("forbidden:live_url", `${host} is ${reason} and is not contacted.`);
  }
  return url;
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void;

/** A `lookup` for sockets that refuses host names resolving to blocked addresses (checked at connect time). */
export function guardedLookup(options: GuardOptions) {
  return guardedLookupWith((address) => blockedReason(address, options));
}

/** A `lookup` that refuses a host name when `reasonFor` objects to any address it resolves to. */
export function guardedLookupWith(reasonFor: (address: string) => string | null) {
  return (hostname: string, opts: dns.LookupOptions, callback: LookupCallback): void => {
    dns.lookup(hostname, { all: true, family: opts.family ?? 0 }, (err, addresses) => {
      if (err) return callback(err, []);
      for (const a of addresses) {
        const reason = reasonFor(a.address);
        if (reason) {
          const error: NodeJS.ErrnoException = new Error(`${hostname} resolves to ${a.address}, ${reason}; not contacted.`);
          error.code = "ERR_LIVE_URL_BLOCKED";
          return callback(error, []);
        }
      }
      if (addresses.length === 0) return callback(Object.assign(new Error(`${hostname} did not resolve`), { code: "ENOTFOUND" }), []);
      if (opts.all) callback(null, addresses);
      else callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}
