/**
 * The HAProxy PROXY protocol, versions 1 (text) and 2 (binary), as specified in HAProxy's
 * {@code doc/proxy-protocol.txt} ("the spec" below): a load balancer prepends a header to the TCP
 * stream that tells the server the real client address.
 *
 * <p>A pure package (java.* and {@code io.postbus.core.net.Cidr} only): the Vert.x shell feeds the
 * first bytes of a connection to {@link io.postbus.ingress.proxy.ProxyPolicy#evaluate} (or to
 * {@link io.postbus.ingress.proxy.ProxyHeaderParser#parse} directly) and acts on the value it gets
 * back. Nothing here does I/O or DNS: addresses are parsed from literals only.
 */
package io.postbus.ingress.proxy;
