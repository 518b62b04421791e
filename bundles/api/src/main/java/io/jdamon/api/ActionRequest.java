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

    /**
     * The most bytes one request covers: 4 MiB. The engine cuts a larger
     * region into requests at multiples of this size (so huge pages stay
     * aligned) and sums what they applied; each call of the primitive is thus
     * short enough for the hook limit even where an action is slow (paging
     * out tens of MiB can take seconds on a slow machine).
     */
    long MAX_RANGE_BYTES = 4L << 20;

    /** @return the action, one the primitive declared in {@link Primitive#supportedActions} */
    String action();

    /** @return the target's index in its context */
    int targetIndex();

    /** @return the range's first address */
    long start();

    /** @return the range's end (exclusive), at most {@link #MAX_RANGE_BYTES} past {@link #start} */
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
