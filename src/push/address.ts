import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

// The server POSTs to whatever push service a browser named, so in production it must only
// ever reach the public internet: not itself, its private network, or a cloud's metadata
// service. A name is checked where it is turned into the address actually connected to
// (the request's lookup), so a DNS answer that changed since the subscription was stored
// (DNS rebinding) is caught too.

/**
 * Only plain public unicast: loopback, private (RFC 1918, fc00::/7), link-local (incl.
 * 169.254.169.254), CGNAT, unspecified, multicast, broadcast, reserved and documentation
 * ranges, and IPv6 forms that carry an IPv4 address (mapped, NAT64, 6to4, Teredo) are not.
 */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  return ipaddr.process(address).range() === 'unicast';
}

/** Why an address is refused: a DNS-style error, so it ends the request like any failed lookup. */
export class InternalAddressError extends Error {
  readonly code = 'EINTERNALADDRESS';
  constructor(host: string, address: string) {
    super(`${host} is at ${address}, not a public address`);
  }
}

type LookupCallback = Parameters<LookupFunction>[2];

/** A lookup that answers only when every address of the name is public, else fails with InternalAddressError. */
export function publicOnlyLookup(resolve: LookupFunction = dnsLookup as LookupFunction): LookupFunction {
  return (hostname, options, callback: LookupCallback) => {
    resolve(hostname, { ...options, all: true }, (err, found) => {
      if (err) return callback(err, '', undefined);
      const addresses = (Array.isArray(found) ? found : [{ address: found, family: isIP(found) }]) as LookupAddress[];
      const internal = addresses.find((a) => !isPublicAddress(a.address));
      if (internal || addresses.length === 0) return callback(new InternalAddressError(hostname, internal?.address ?? 'no address'), '', undefined);
      if (options.all) callback(null, addresses);
      else callback(null, addresses[0].address, addresses[0].family);
    });
  };
}
