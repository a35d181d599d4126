package org.novnc.proxy.relay.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

/**
 * Session and refusal events on OSGi EventAdmin, for Karaf Decanter's EventAdmin collector and any
 * bundle that listens: {@code org/novnc/proxy/session/OPENED}, {@code .../CLOSED} and
 * {@code org/novnc/proxy/auth/REFUSED}. Posted asynchronously; without EventAdmin nothing is
 * posted. Events carry who, how, from where and to what, never a password or a token.
 */
final class Audit {
  static final String OPENED = "org/novnc/proxy/session/OPENED";
  static final String CLOSED = "org/novnc/proxy/session/CLOSED";
  static final String REFUSED = "org/novnc/proxy/auth/REFUSED";
  static final String RECORDING_INCOMPLETE = "org/novnc/proxy/record/INCOMPLETE";

  private final String pid;
  private final Supplier<EventAdmin> admin;

  Audit(String pid, Supplier<EventAdmin> admin) {
    this.pid = pid;
    this.admin = admin;
  }

  /** Who opened a session; {@code user} and {@code method} are null when the proxy has no {@code auth}. */
  void opened(SessionInfo s) {
    EventAdmin a = admin.get();
    if (a != null) {
      a.postEvent(new Event(OPENED, common(s)));
    }
  }

  void closed(SessionInfo s, long bytesUp, long bytesDown, long millis, int code, String reason) {
    EventAdmin a = admin.get();
    if (a != null) {
      Map<String, Object> p = common(s);
      p.put("bytesUp", bytesUp);
      p.put("bytesDown", bytesDown);
      p.put("duration", millis);
      p.put("closeCode", code);
      p.put("reason", reason);
      a.postEvent(new Event(CLOSED, p));
    }
  }

  /** A WebSocket upgrade (or login) refused: {@code status} and the reason the browser got. */
  void refused(String client, String user, String method, int status, String reason) {
    EventAdmin a = admin.get();
    if (a != null) {
      Map<String, Object> p = new HashMap<>();
      p.put("proxy", pid);
      p.put("client", client);
      put(p, "user", user);
      put(p, "method", method);
      p.put("status", status);
      p.put("reason", reason);
      a.postEvent(new Event(REFUSED, p));
    }
  }

  /** A session's recording lost records: the disk fell behind or failed. */
  void recordingIncomplete(String file, String user, String reason) {
    EventAdmin a = admin.get();
    if (a != null) {
      Map<String, Object> p = new HashMap<>();
      p.put("proxy", pid);
      p.put("file", file);
      put(p, "user", user);
      p.put("reason", reason);
      a.postEvent(new Event(RECORDING_INCOMPLETE, p));
    }
  }

  private Map<String, Object> common(SessionInfo s) {
    Map<String, Object> p = new HashMap<>();
    p.put("proxy", pid);
    p.put("client", s.client());
    p.put("target", s.target());
    p.put("viewOnly", s.viewOnly());
    put(p, "user", s.user());
    put(p, "method", s.method());
    return p;
  }

  private static void put(Map<String, Object> p, String key, String value) {
    if (value != null) {
      p.put(key, value);
    }
  }

  /**
   * Who a session is: the browser's address, the target, and when the proxy authenticates, the
   * user and the method that proved it.
   */
  record SessionInfo(String client, String target, String user, String method, boolean viewOnly) {}
}
