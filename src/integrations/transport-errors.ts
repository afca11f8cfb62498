// Recognises an error that says the network between Piper and a service failed (refused, reset, DNS, socket timeouts).
const TRANSPORT_CODES = new Set([
  "ECONNREFUSED", "ECONNRESET", "ECONNABORTED", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "ENETDOWN",
  // undici (Node's fetch) reports socket trouble with its own codes, under a TypeError("fetch failed").
  "UND_ERR_CONNECT_TIMEOUT", "UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT", "UND_ERR_SOCKET", "UND_ERR_CLOSED",
]);

/** No connection was ever made, so the service cannot have acted on the request. */
const NEVER_CONNECTED_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN"]);

/** True when `err`, or an error in its `cause` chain, carries a network failure code. */
export function isTransportError(err: unknown): boolean {
  return causeCodes(err).some((code) => TRANSPORT_CODES.has(code));
}

/** True when the request never reached the service (refused, or the name did not resolve): a write cannot have happened. */
export function neverConnected(err: unknown): boolean {
  return causeCodes(err).some((code) => NEVER_CONNECTED_CODES.has(code));
}

function causeCodes(err: unknown): string[] {
  const codes: string[] = [];
  let e: unknown = err;
  for (let depth = 0; depth < 5 && typeof e === "object" && e !== null; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string") codes.push(code);
    e = (e as { cause?: unknown }).cause;
  }
  return codes;
}
