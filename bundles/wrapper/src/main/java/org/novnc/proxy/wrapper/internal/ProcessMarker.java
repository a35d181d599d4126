package org.novnc.proxy.wrapper.internal;

import java.util.UUID;

/**
 * The two environment variables every process of a wrapper carries, inherited by all it starts:
 *
 * <ul>
 *   <li>{@code NOVNC_WRAPPER_ID=<uuid>}: this activation of the wrapper. On stop, every live
 *       process carrying it is ended, daemons re-parented to init included.</li>
 *   <li>{@code NOVNC_WRAPPER_OWNER=<config PID>@<Karaf data directory>}: the configuration it
 *       belongs to. Nothing of a wrapper runs before it starts, so a process carrying its owner at
 *       start was left by a Karaf that ended without stopping its wrappers (killed, crashed); it is
 *       ended before the command starts again.</li>
 * </ul>
 *
 * @param id the value of {@code NOVNC_WRAPPER_ID}
 * @param owner the value of {@code NOVNC_WRAPPER_OWNER}
 */
record ProcessMarker(String id, String owner) {
  static final String ID_VARIABLE = "NOVNC_WRAPPER_ID";
  static final String OWNER_VARIABLE = "NOVNC_WRAPPER_OWNER";
  /** Variables a configuration may not set through {@code env.*}. */
  static final String RESERVED_PREFIX = "NOVNC_WRAPPER_";

  /** A fresh marker for configuration {@code configPid} of the Karaf whose data is in {@code dataDirectory}. */
  static ProcessMarker create(String configPid, String dataDirectory) {
    return new ProcessMarker(UUID.randomUUID().toString(), configPid + "@" + dataDirectory);
  }

  /** The environment entry that marks this activation's processes, as /proc/PID/environ holds it. */
  String idEntry() {
    return ID_VARIABLE + "=" + id;
  }

  /** The environment entry that marks every process of the configuration, of this or an earlier run. */
  String ownerEntry() {
    return OWNER_VARIABLE + "=" + owner;
  }
}
