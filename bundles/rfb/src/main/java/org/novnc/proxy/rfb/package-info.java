/** The RFB protocol (RFC 6143) as the proxy speaks it: VNC Authentication, the client message framer. */
@org.osgi.annotation.versioning.Version("0.1.0")
@org.osgi.annotation.bundle.Export
package org.novnc.proxy.rfb;
