package org.novnc.proxy.relay;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;

/**
 * What a WebSocket upgrade or an {@code /auth/check} offers as proof of who is asking.
 *
 * @param clientAddress the browser's address (no port), for audit and failure counting
 * @param tls whether the connection is TLS
 * @param peerCertificates the client certificate chain presented on TLS, leaf first; empty if none
 * @param cookie the {@code Cookie} header, or null
 * @param authorization the {@code Authorization} header, or null
 * @param query the decoded query parameters of the request URI
 */
public record AccessRequest(String clientAddress, boolean tls, List<X509Certificate> peerCertificates, String cookie,
    String authorization, Map<String, List<String>> query) {
  public AccessRequest {
    peerCertificates = List.copyOf(peerCertificates);
    query = Map.copyOf(query);
  }

  /** The first value of query parameter {@code name}, or null. */
  public String parameter(String name) {
    List<String> values = query.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }
}
