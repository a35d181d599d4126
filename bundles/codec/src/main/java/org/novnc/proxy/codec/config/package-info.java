/**
 * Reading typed keys of Config Admin configurations, the same way in every novnc-proxy bundle:
 * strictly (a typo is an error, never a silent default or {@code false}), with one exception that
 * names the key, the value and what was expected.
 */
@org.osgi.annotation.versioning.Version("0.1.0")
@org.osgi.annotation.bundle.Export
package org.novnc.proxy.codec.config;
