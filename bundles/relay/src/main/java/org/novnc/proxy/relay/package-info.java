/** What other bundles offer the relay (named target endpoints, web content, user authentication) and what the relay shares with them (frame policy, access decisions). */
@org.osgi.annotation.versioning.Version("0.3.0")
@org.osgi.annotation.bundle.Export
package org.novnc.proxy.relay;
