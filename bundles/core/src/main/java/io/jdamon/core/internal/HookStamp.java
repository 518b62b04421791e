package io.jdamon.core.internal;

/**
 * Which plugin hook a kdamond is in, and since when: written by the kdamond
 * around every primitive and callback hook, read by the watchdog from another
 * thread. Plain volatile fields: the per-sample path writes them without
 * allocating.
 */
public final class HookStamp {

    private volatile String kind = "";
    private volatile String pluginName = "";
    private volatile String hook = "";
    /** {@link System#nanoTime()} when the hook was entered; 0 while no hook runs. */
    private volatile long enteredNanos;

    /** The kdamond enters a hook: {@code kind} is "primitive" or "callback". */
    public void enter(String kind, String pluginName, String hook) {
        this.kind = kind;
        this.pluginName = pluginName;
        this.hook = hook;
        enteredNanos = System.nanoTime() | 1; // never 0 while in a hook
    }

    /** Whether the current hook sets the run up ({@link #enterSetup}): it may take longer. */
    private volatile boolean setup;

    /**
     * The kdamond enters a hook that sets the run up once ({@code init}),
     * which may read much of a large target: the watchdog gives it at least
     * {@link HookWatchdog#SETUP_LIMIT_NANOS}.
     */
    public void enterSetup(String kind, String pluginName, String hook) {
        setup = true;
        enter(kind, pluginName, hook);
    }

    /** @return whether the current hook sets the run up */
    boolean setup() {
        return setup;
    }

    /** Set by the watchdog when it interrupted the kdamond in a hook. */
    private volatile boolean interruptSent;

    /**
     * The hook returned (or threw); clears an interrupt the watchdog sent to
     * it, so that it does not spin the kdamond's sleep.
     *
     * @return how long it ran, in nanoseconds (0 if no hook was entered)
     */
    public long exit() {
        long entered = enteredNanos;
        enteredNanos = 0;
        setup = false;
        if (interruptSent) {
            interruptSent = false;
            Thread.interrupted();
        }
        return entered == 0 ? 0 : System.nanoTime() - entered;
    }

    /** The watchdog interrupts the kdamond thread in the current hook. */
    void interrupt(Thread kdamond) {
        interruptSent = true;
        kdamond.interrupt();
    }

    /** @return whether the watchdog interrupted the current hook */
    boolean interrupted() {
        return interruptSent;
    }

    /** @return when the current hook was entered ({@link System#nanoTime()}), or 0 if none runs */
    public long enteredNanos() {
        return enteredNanos;
    }

    /** @return "primitive" or "callback": the kind of plugin of the current or last hook */
    public String kind() {
        return kind;
    }

    /** @return the name of the plugin of the current or last hook */
    public String pluginName() {
        return pluginName;
    }

    /** @return the name of the current or last hook, e.g. {@code checkAccesses} */
    public String hook() {
        return hook;
    }
}
