/** What other bundles offer the relay: named target endpoints. */
@org.osgi.annotation.versioning.Version("0.1.0")
@org.osgi.annotation.bundle.Export
package org.novnc.proxy.relay;
