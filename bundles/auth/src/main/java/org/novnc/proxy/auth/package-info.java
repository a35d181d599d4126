/** What the auth bundle offers other bundles: one-time console links. */
@org.osgi.annotation.versioning.Version("0.1.0")
@org.osgi.annotation.bundle.Export
package org.novnc.proxy.auth;
