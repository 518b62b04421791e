package io.jdamon.api;

/**
 * The configuration contract of the jdamon platform, published once: the
 * Config Admin PIDs its components read and their keys, for whoever writes
 * configurations ({@code .cfg} files in {@code deploy/} or Karaf's {@code etc/},
 * Config Admin clients, the {@code jdamon} command). The defaults are the
 * constants they name; the components' metatype (what tools such as Karaf's
 * {@code config:} commands show) is built from the same constants.
 *
 * @since 1.3
 */
public final class Configurations {

    private Configurations() {
    }

    /** The factory PID of monitoring contexts: one factory configuration per context. */
    public static final String CONTEXT_FACTORY_PID = "io.jdamon.context";
    /** The factory PID of recorders: one factory configuration per record file callback. */
    public static final String RECORDER_FACTORY_PID = "io.jdamon.record";
    /** The PID of the web view and {@code /metrics} (a singleton configuration). */
    public static final String WEB_PID = "io.jdamon.web";

    /** The keys of a {@value #CONTEXT_FACTORY_PID} configuration. */
    public static final class Context {
        private Context() {
        }

        /** The context's name; default: the configuration's name (the part of its PID after '~'). */
        public static final String NAME = "name";
        /** The primitive that samples the targets (its {@link Primitive#SERVICE_PROPERTY}); required. */
        public static final String PRIMITIVE = "primitive";
        /** The targets in the primitive's syntax; several values, or one comma-separated string; required. */
        public static final String TARGETS = "targets";
        /** In microseconds; default {@link MonitoringAttributes#DEFAULT_SAMPLE_INTERVAL_US}. */
        public static final String SAMPLE_INTERVAL_US = "sampleIntervalUs";
        /** In microseconds; default {@link MonitoringAttributes#DEFAULT_AGGREGATION_INTERVAL_US}. */
        public static final String AGGREGATION_INTERVAL_US = "aggregationIntervalUs";
        /** In microseconds; default {@link MonitoringAttributes#DEFAULT_UPDATE_INTERVAL_US}. */
        public static final String UPDATE_INTERVAL_US = "updateIntervalUs";
        /** Over all targets; default {@link MonitoringAttributes#DEFAULT_MIN_NR_REGIONS}. */
        public static final String MIN_NR_REGIONS = "minNrRegions";
        /** Over all targets; default {@link MonitoringAttributes#DEFAULT_MAX_NR_REGIONS}. */
        public static final String MAX_NR_REGIONS = "maxNrRegions";
        /** The callbacks that receive the results (their {@link Callback#SERVICE_PROPERTY}); default none. */
        public static final String CALLBACKS = "callbacks";
        /**
         * Intervals auto-tuning ({@link IntervalsGoal}): aggregations between two tunings; default 0, no
         * tuning. The three keys below take the goal's other values.
         *
         * @since 1.4
         */
        public static final String INTERVALS_GOAL_AGGRS = "intervalsGoalAggrs";
        /** Basis points of access events to observe; default {@link IntervalsGoal#RECOMMENDED_ACCESS_BP}. @since 1.4 */
        public static final String INTERVALS_GOAL_ACCESS_BP = "intervalsGoalAccessBp";
        /** The shortest tuned sample interval, in microseconds; default {@link IntervalsGoal#RECOMMENDED_MIN_SAMPLE_US}. @since 1.4 */
        public static final String INTERVALS_GOAL_MIN_SAMPLE_US = "intervalsGoalMinSampleUs";
        /** The longest tuned sample interval, in microseconds; default {@link IntervalsGoal#RECOMMENDED_MAX_SAMPLE_US}. @since 1.4 */
        public static final String INTERVALS_GOAL_MAX_SAMPLE_US = "intervalsGoalMaxSampleUs";
        /**
         * DAMOS schemes, in damo's command-line flags ({@code --damos_action pageout --damos_access_rate 0 0
         * --damos_age 5s max ...}): one string, or several whose words are read in order; changed online
         * at the next aggregation. Default: none. @since 2.0
         */
        public static final String SCHEMES = "schemes";
    }

    /** The keys of a {@value #RECORDER_FACTORY_PID} configuration, and their defaults. */
    public static final class Recorder {
        private Recorder() {
        }

        /** The callback's name, which contexts list in {@link Context#CALLBACKS}; required. */
        public static final String NAME = "name";
        /** The record file; {@code {context}} in it is replaced by the context's name. */
        public static final String FILE = "file";
        /** The default {@link #FILE}: {@value}, relative to the folder jdamon was started in. */
        public static final String DEFAULT_FILE = "damon.data";
        /** Whether to force every aggregation to the storage device. */
        public static final String SYNC = "sync";
        /** The default {@link #SYNC}: {@value} (a {@code kill -9} loses no completed aggregation either way). */
        public static final boolean DEFAULT_SYNC = false;
        /** The finished file's format, as damo names them: {@code json} or {@code json_compressed}. */
        public static final String OUTPUT_TYPE = "output_type";
        /** The default {@link #OUTPUT_TYPE}: {@value} (plain JSON; a file is plain while it is written). */
        public static final String DEFAULT_OUTPUT_TYPE = "json";
    }

    /** The keys of the {@value #WEB_PID} configuration, and their defaults. */
    public static final class Web {
        private Web() {
        }

        /** The TCP port; none (the default) leaves the web view off unless {@code --web PORT} was given. */
        public static final String PORT = "port";
        /** The address to listen on. */
        public static final String BIND_ADDRESS = "bindAddress";
        /** The default {@link #BIND_ADDRESS}: {@value}, loopback. */
        public static final String DEFAULT_BIND_ADDRESS = "127.0.0.1";
        /** Whether an address other than loopback may be used; default false. */
        public static final String ALLOW_NON_LOOPBACK = "allowNonLoopback";
    }
}
