package io.jdamon.core.internal;

/**
 * A context setting that changes online (its attributes, its schemes): the
 * value in force, and one given while a run goes on, which the kdamond takes
 * at the next aggregation boundary. Readable from any thread.
 */
final class OnlineSetting<T> {

    private volatile T inForce;
    private volatile T pending;

    OnlineSetting(T initial) {
        this.inForce = initial;
    }

    /** @return what a user sees: a value given while running is not in force yet, but is once the run ended */
    T visible(boolean running) {
        T p = pending;
        return p != null && !running ? p : inForce;
    }

    /** A user's new value: pending while running, else in force at once. */
    synchronized void set(T value, boolean running) {
        if (running) {
            pending = value;
        } else {
            inForce = value;
            pending = null;
        }
    }

    T inForce() {
        return inForce;
    }

    /**
     * At an aggregation boundary, or when a run starts: a pending value becomes the one in force.
     *
     * @return it, or null if none was given since
     */
    synchronized T takePending() {
        T p = pending;
        if (p != null) {
            inForce = p;
            pending = null;
        }
        return p;
    }

    /** The engine itself chose the value in force (the intervals tuner). */
    synchronized void force(T value) {
        inForce = value;
    }
}
