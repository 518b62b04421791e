package io.jdamon.api;

import java.util.Objects;

/**
 * A filter of a {@link Scheme} (DAMOS's filter): memory it matches is let
 * through ({@link #allow()}) or kept from the action; {@link #matching()}
 * false inverts what it matches. A scheme's filters are asked in order and
 * the first that matches decides; memory no filter matched is let through
 * unless the last filter allows (then what it did not allow is rejected).
 *
 * <p>Two types are the engine's own: {@value #ADDRESS} (a range of
 * addresses; a region crossing its edge is split there) and {@value #TARGET}
 * (a target, by index). Every other type is a primitive's (e.g. Linux's
 * {@code anon}, {@code memcg}, {@code young}), applied by the primitive page
 * by page; a scheme whose filter the primitive lacks is refused, naming
 * both. Made with the static factories; immutable.
 *
 * @since 2.0
 */
public final class SchemeFilter {

    /** The engine's address range filter: {@value}. */
    public static final String ADDRESS = "addr";
    /** The engine's target filter: {@value}. */
    public static final String TARGET = "target";

    private final String type;
    private final boolean matching;
    private final boolean allow;
    private final long startAddress;
    private final long endAddress;
    private final int targetIndex;

    private SchemeFilter(String type, boolean matching, boolean allow, long startAddress, long endAddress,
            int targetIndex) {
        if (type == null || type.isBlank()) {
            throw new InvalidAttributesException("filter", "a scheme filter names no type; use " + ADDRESS + ", "
                    + TARGET + " or one the primitive supports");
        }
        this.type = type;
        this.matching = matching;
        this.allow = allow;
        this.startAddress = startAddress;
        this.endAddress = endAddress;
        this.targetIndex = targetIndex;
    }

    /**
     * @return a filter of the addresses {@code [start, end)}
     * @throws InvalidAttributesException if the range is empty
     */
    public static SchemeFilter address(long start, long end, boolean matching, boolean allow) {
        if (Long.compareUnsigned(start, end) >= 0) {
            throw new InvalidAttributesException("filter", "address filter [" + Long.toHexString(start) + ", "
                    + Long.toHexString(end) + ") is empty; give start < end");
        }
        return new SchemeFilter(ADDRESS, matching, allow, start, end, -1);
    }

    /** @return a filter of the context's target {@code index} (from 0) */
    public static SchemeFilter target(int index, boolean matching, boolean allow) {
        if (index < 0) {
            throw new InvalidAttributesException("filter", "target filter index " + index + " is negative");
        }
        return new SchemeFilter(TARGET, matching, allow, 0, 0, index);
    }

    /** @return a filter of a type the primitive applies, e.g. {@code anon} */
    public static SchemeFilter ofType(String type, boolean matching, boolean allow) {
        return new SchemeFilter(type, matching, allow, 0, 0, -1);
    }

    /** @return {@value #ADDRESS}, {@value #TARGET}, or a primitive's type */
    public String type() {
        return type;
    }

    /** @return whether this filter's own engine can apply it (address and target filters) */
    public boolean isEngines() {
        return ADDRESS.equals(type) || TARGET.equals(type);
    }

    /** @return true to match what the type says, false to match the rest */
    public boolean matching() {
        return matching;
    }

    /** @return true to let matched memory through, false to keep it from the action */
    public boolean allow() {
        return allow;
    }

    /** @return an address filter's first address */
    public long startAddress() {
        return startAddress;
    }

    /** @return an address filter's end (exclusive) */
    public long endAddress() {
        return endAddress;
    }

    /** @return a target filter's target index; -1 for other types */
    public int targetIndex() {
        return targetIndex;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SchemeFilter f && f.type.equals(type) && f.matching == matching && f.allow == allow
                && f.startAddress == startAddress && f.endAddress == endAddress && f.targetIndex == targetIndex;
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, matching, allow, startAddress, endAddress, targetIndex);
    }

    @Override
    public String toString() {
        String what = ADDRESS.equals(type) ? "addr [0x" + Long.toHexString(startAddress) + ", 0x"
                + Long.toHexString(endAddress) + ")" : TARGET.equals(type) ? "target " + targetIndex : type;
        return "SchemeFilter[" + (allow ? "allow " : "reject ") + (matching ? "" : "none but ") + what + "]";
    }
}
