/**
 * RFC 6455 server side, transport-agnostic: handshake decisions, frame decoding and encoding,
 * the websockify {@code base64} subprotocol.
 */
@org.osgi.annotation.versioning.Version("0.1.0")
@org.osgi.annotation.bundle.Export
package org.novnc.proxy.codec;
