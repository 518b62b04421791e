package io.jdamon.api;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * What the engine asks a primitive to do for a scheme
 * ({@link Primitive#applyAction}): apply an action to one range of one
 * target. Valid only during the call; the engine reuses it.
 *
 * @since 2.0
 */
@ProviderType
public interface ActionRequest {

    /** @return the action, one the primitive declared in {@link Primitive#supportedActions} */
    String action();

    /** @return the target's index in its context */
    int targetIndex();

    /** @return the range's first address */
    long start();

    /** @return the range's end (exclusive) */
    long end();

    /**
     * @return the scheme's filters of the primitive's own types, in order: the
     *     primitive applies them page by page (the first that matches decides;
     *     what none matched is let through unless the last one allows); empty
     *     when the scheme has none
     */
    List<SchemeFilter> filters();

    /** @return the scheme's position in its context, for primitives that keep per-scheme state */
    int schemeIndex();
}
