/** What other bundles offer the relay (named target endpoints, web content) and what the relay shares with them (frame policy). */
@org.osgi.annotation.versioning.Version("0.2.0")
@org.osgi.annotation.bundle.Export
package org.novnc.proxy.relay;
