/**
 * The wrapper's implementation: the component, argv splitting, the respawn policy, the process
 * tree, and the service it publishes. Nothing here is API; the service type is the relay's
 * {@code org.novnc.proxy.relay.TargetEndpoint}.
 */
package org.novnc.proxy.wrapper.internal;
