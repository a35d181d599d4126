package org.novnc.proxy.relay.internal;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Which {@code Host} headers a proxy answers to (relay key {@code allowed.hosts}), against DNS
 * rebinding: a page of {@code attacker.example} whose name is made to resolve to this machine
 * sends {@code Host: attacker.example} and a matching {@code Origin}, which the same-host origin
 * rule alone would accept. Always allowed: loopback names and addresses, this machine's host names
 * and interface addresses, the listen address; plus the entries of {@code allowed.hosts} (host
 * names, addresses or {@code *.domain} suffixes). {@code *} turns the check off.
 */
record HostPolicy(boolean any, Set<String> names, List<String> suffixes) {
  private static final Set<String> LOOPBACK = Set.of("localhost", "localhost.localdomain", "ip6-localhost",
      "ip6-loopback", "127.0.0.1", "::1");
  /** The machine's names, looked up once and off the caller's thread (a slow resolver must not stall a reconfiguration). */
  private static final CompletableFuture<Set<String>> MACHINE = CompletableFuture.supplyAsync(HostPolicy::machineNames);

  static HostPolicy parse(String value, HostPort listen) {
    String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
    if (v.equals("*")) {
      return new HostPolicy(true, Set.of(), List.of());
    }
    Set<String> names = new HashSet<>(LOOPBACK);
    List<String> suffixes = new java.util.ArrayList<>();
    if (listen != null && listen.host() != null && !listen.host().isEmpty()) {
      names.add(bare(listen.host().toLowerCase(Locale.ROOT)));
    }
    for (String entry : v.isEmpty() ? new String[0] : v.split("\\s*,\\s*")) {
      if (entry.startsWith("*.") && entry.length() > 2 && valid(entry.substring(2))) {
        suffixes.add(entry.substring(1));
      } else if (valid(bare(entry))) {
        names.add(bare(entry));
      } else {
        throw new IllegalArgumentException("has an invalid entry '" + entry
            + "'; expected *, or host names, addresses or *.domain suffixes without ports");
      }
    }
    return new HostPolicy(false, Set.copyOf(names), List.copyOf(suffixes));
  }

  /** Whether a request whose {@code Host} header is {@code hostHeader} is meant for this proxy. */
  boolean allows(String hostHeader) {
    if (any) {
      return true;
    }
    String host = hostOf(hostHeader);
    if (host == null) {
      return false;
    }
    if (names.contains(host) || MACHINE.getNow(Set.of()).contains(host)) {
      return true;
    }
    for (String suffix : suffixes) {
      if (host.endsWith(suffix)) {
        return true;
      }
    }
    return isLocalAddress(host);
  }

  /** The host part of a Host header, lower case, IPv6 without brackets; null when absent or empty. */
  static String hostOf(String hostHeader) {
    if (hostHeader == null) {
      return null;
    }
    String h = hostHeader.trim().toLowerCase(Locale.ROOT);
    if (h.startsWith("[")) {
      int end = h.indexOf(']');
      return end < 0 ? null : h.substring(1, end);
    }
    int colon = h.indexOf(':');
    String host = colon < 0 ? h : h.substring(0, colon);
    if (host.endsWith(".")) {
      host = host.substring(0, host.length() - 1); // "localhost." is "localhost"
    }
    return host.isEmpty() ? null : host;
  }

  private static String bare(String host) {
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }

  private static boolean valid(String host) {
    return !host.isEmpty() && host.matches("[a-z0-9._:%-]+");
  }

  /** An address literal that one of this machine's interfaces has (looked up without DNS). */
  private static boolean isLocalAddress(String host) {
    if (!io.netty.util.NetUtil.isValidIpV4Address(host) && !io.netty.util.NetUtil.isValidIpV6Address(host)) {
      return false;
    }
    try {
      InetAddress address = InetAddress.getByName(host); // a literal: no lookup
      return address.isLoopbackAddress() || address.isAnyLocalAddress() || NetworkInterface.getByInetAddress(address) != null;
    } catch (UnknownHostException | SocketException e) {
      return false;
    }
  }

  private static Set<String> machineNames() {
    Set<String> names = new HashSet<>();
    try {
      InetAddress local = InetAddress.getLocalHost();
      names.add(local.getHostName().toLowerCase(Locale.ROOT));
      names.add(local.getCanonicalHostName().toLowerCase(Locale.ROOT));
    } catch (UnknownHostException e) {
      String name = e.getMessage() == null ? "" : e.getMessage().split(":")[0].trim();
      if (!name.isEmpty()) {
        names.add(name.toLowerCase(Locale.ROOT)); // the host name is known even when it does not resolve
      }
    }
    return Collections.unmodifiableSet(names);
  }
}
