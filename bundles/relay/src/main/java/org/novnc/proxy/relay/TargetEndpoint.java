package org.novnc.proxy.relay;

/**
 * A TCP endpoint a relay can forward to by name: a relay configured with
 * {@code target = wrapper:NAME} follows the service of this type whose {@link #NAME_PROPERTY} is
 * {@code NAME}. New sessions use the endpoint of the moment; while no such service exists, the
 * relay does not listen.
 *
 * <p>The wrapper bundle publishes one per running wrapped command (host and moved port).
 */
public interface TargetEndpoint {
  /** Service property carrying the name a relay refers to in {@code wrapper:NAME}. */
  String NAME_PROPERTY = "novnc.target.name";

  /** Host to connect to, e.g. {@code 127.0.0.1}. */
  String host();

  /** Port to connect to. */
  int port();

  /**
   * Whether the endpoint still serves, asked before each session connects; it must be cheap (it
   * runs on an I/O thread). A wrapped command's endpoint answers whether the command still holds
   * its listening socket, so a port it let go of, now bound by another process, is never reached.
   */
  default boolean available() {
    return true;
  }
}
