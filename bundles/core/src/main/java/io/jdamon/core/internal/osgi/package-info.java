/**
 * The OSGi face of the kdamond engine: the engine as a Declarative Services
 * component, whiteboard tracking of {@link io.jdamon.api.Primitive} and
 * {@link io.jdamon.api.Callback} services, and one monitoring context per
 * factory configuration ({@value io.jdamon.core.internal.osgi.ConfiguredContextComponent#FACTORY_PID}).
 * Private to the core bundle.
 */
package io.jdamon.core.internal.osgi;
