package io.jdamon.vaddr.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;

import io.jdamon.api.MonitoringTarget;
import io.jdamon.vaddr.Granularity;
import io.jdamon.vaddr.SensorProbe;
import io.jdamon.vaddr.SensorSession;
import io.jdamon.vaddr.SensorTraits;

/**
 * {@code uffd-write}: userfaultfd write-protection in asynchronous mode
 * (Linux 6.7+) plus the {@code PAGEMAP_SCAN} ioctl. Prepare write-protects
 * the sampled page; check asks whether it is still protected: a write
 * removes the protection (the kernel resolves the fault itself, the target
 * never stops). Page granular, two ioctls per region per sample (made for
 * all regions in one native call each way, {@link UffdBatch}, so the cost is
 * the kernel's), but it sees <b>writes only</b>, and only in the private
 * anonymous mappings it could register.
 *
 * <p>A userfaultfd can only be created by a process for itself, so this works
 * for the JVM jdamon runs in ({@code pid=self}) and for processes that hold
 * one jdamon can take with {@code pidfd_getfd}: those started with jdamon's
 * preload shim ({@link io.jdamon.vaddr.UffdShim}).
 */
final class UffdWriteSensor extends BuiltInSensor {

    static final String NAME = "uffd-write";

    // ioctls and flags from linux/userfaultfd.h and linux/fs.h (x86_64)
    static final long UFFDIO_API = 0xC018AA3FL;
    static final long UFFDIO_REGISTER = 0xC020AA00L;
    static final long UFFDIO_WRITEPROTECT = 0xC018AA06L;
    static final long PAGEMAP_SCAN = 0xC0606610L;
    static final long UFFD_API = 0xAA;
    static final long UFFD_FEATURE_WP_UNPOPULATED = 1L << 13;
    static final long UFFD_FEATURE_WP_ASYNC = 1L << 15;
    static final long UFFDIO_REGISTER_MODE_WP = 1L << 1;
    static final long UFFDIO_WRITEPROTECT_MODE_WP = 1L << 0;
    static final long PAGE_IS_WPALLOWED = 1L << 0;
    static final long PAGE_IS_WRITTEN = 1L << 1;
    static final int O_CLOEXEC = 0x80000;
    static final int O_NONBLOCK = 0x800;
    static final int UFFD_USER_MODE_ONLY = 1;

    /** What it is; see {@link SensorTraits}. */
    static final SensorTraits TRAITS = SensorTraits.of(NAME, false, true, Granularity.PAGE,
            // page granular but blind to reads: below referenced, which sees both
            30,
            "userfaultfd async write-protect + PAGEMAP_SCAN: WRITES ONLY, per page, two ioctls per region per sample"
                    + " (1-4 us a pair here, all regions in one native call each way);"
                    + " for pid=self or a process started with jdamon's preload shim");

    UffdWriteSensor() {
        super(TRAITS);
    }

    @Override
    public SensorProbe probe(int pid) {
        SensorProbe ruledOut = nativeCallsAndKernel(6, 7,
                "asynchronous userfaultfd write-protect and PAGEMAP_SCAN");
        if (ruledOut != null) {
            return ruledOut;
        }
        if (pid <= 0) {
            return SensorProbe.available("kernel has it; works for pid=self or a process started with jdamon's"
                    + " userfaultfd preload shim");
        }
        if (pid == ProcessHandle.current().pid()) {
            return SensorProbe.available("the JVM itself: jdamon creates its own userfaultfd");
        }
        int fd = findUffd(pid);
        if (fd == -2) {
            return SensorProbe.unavailable("cannot list /proc/" + pid + "/fd; run jdamon as the process's user or root");
        }
        if (fd < 0) {
            return SensorProbe.unavailable("PID " + pid + " holds no userfaultfd; a userfaultfd can only be made by"
                    + " the process itself, so a process already running cannot be given one: let jdamon start it with"
                    + " its preload shim (jdamon record --sensor uffd-write -- CMD ARGS), or monitor pid=self");
        }
        int scope = Kernel.ptraceScope();
        if (!Kernel.root() && scope >= 1) {
            return SensorProbe.unavailable("taking PID " + pid + "'s userfaultfd (pidfd_getfd) needs ptrace attach"
                    + " rights, which kernel.yama.ptrace_scope=" + scope + " refuses; run jdamon as root");
        }
        return SensorProbe.available("PID " + pid + " holds a userfaultfd (fd " + fd + ")");
    }

    /** @return the target's userfaultfd descriptor number, -1 if none, -2 if its fds cannot be listed */
    static int findUffd(int pid) {
        Path dir = Path.of("/proc/" + pid + "/fd");
        try (var fds = Files.list(dir)) {
            for (Path p : (Iterable<Path>) fds::iterator) {
                try {
                    if (Files.readSymbolicLink(p).toString().equals("anon_inode:[userfaultfd]")) {
                        return Integer.parseInt(p.getFileName().toString());
                    }
                } catch (IOException | NumberFormatException e) {
                    // closed meanwhile: skip
                }
            }
            return -1;
        } catch (IOException e) {
            return -2;
        }
    }

    @Override
    public SensorSession open(int pid, long sampleIntervalUs) throws IOException {
        return new Session(pid);
    }

    static final class Session implements SensorSession, FollowsExec {
        static final int ESRCH = 3;
        static final int EFAULT = 14;

        private final int pid;
        /** the userfaultfd and pagemap of the process's address space; reopened when it exec'd */
        private int uffd = -1;
        private int pagemapFd = -1;
        private final Memory arg = new Memory(96);
        private final long argAddress = Pointer.nativeValue(arg);
        private final Memory vec = new Memory(24);
        private final long vecAddress = Pointer.nativeValue(vec);
        /** all regions' ioctls in one native call each way ({@link UffdBatch}), or one JNA call per ioctl */
        private final boolean batch = UffdBatch.use();
        /** the sampled pages ({@code uint64_t}) and per-page results ({@code int32_t}) of the batch calls */
        private int capacity;
        private Memory pages;
        private long pagesAddress;
        private Memory results;
        private long resultsAddress;
        private final java.util.TreeMap<Long, Long> registered = new java.util.TreeMap<>();
        private long registeredBytes;
        private long samples;
        private long unprotectable;
        /** an ioctl said ESRCH: the address space the descriptors were made for is gone */
        private boolean sawNoAddressSpace;

        private final ProcFileOpener files;

        Session(int pid) throws IOException {
            this(pid, ProcFileOpener.REAL);
        }

        Session(int pid, ProcFileOpener files) throws IOException {
            this.pid = pid;
            this.files = files;
            if (batch) {
                ensureCapacity(1024);
            }
            open();
        }

        /** Takes the process's userfaultfd, sets it up, opens its pagemap and registers its mappings. */
        private void open() throws IOException {
            int fd;
            if (pid == ProcessHandle.current().pid()) {
                fd = (int) LibC.syscall(LibC.SYS_USERFAULTFD, O_CLOEXEC | O_NONBLOCK | UFFD_USER_MODE_ONLY, 0, 0, 0, 0);
                if (fd < 0) {
                    throw new IOException("userfaultfd() failed: " + LibC.strerror(LibC.errno()));
                }
            } else {
                int target = findUffd(pid);
                if (target < 0) {
                    throw new IOException("PID " + pid + " holds no userfaultfd; start it with jdamon's preload shim");
                }
                try (ProcessLiveness p = new ProcessLiveness(pid)) {
                    if (p.pidfd() < 0) {
                        throw new IOException("pidfd_open(" + pid + ") failed: " + LibC.strerror(LibC.errno()));
                    }
                    fd = (int) LibC.syscall(LibC.SYS_PIDFD_GETFD, p.pidfd(), target, 0, 0, 0);
                    if (fd < 0) {
                        throw new IOException("pidfd_getfd(" + pid + ", " + target + ") failed: "
                                + LibC.strerror(LibC.errno()) + " (needs ptrace attach rights: root, or same user"
                                + " with kernel.yama.ptrace_scope=0)");
                    }
                }
            }
            this.uffd = fd;
            // the handshake: asynchronous write-protect, unpopulated pages protected too
            arg.clear();
            arg.setLong(0, UFFD_API);
            arg.setLong(8, UFFD_FEATURE_WP_ASYNC | UFFD_FEATURE_WP_UNPOPULATED);
            if (LibC.ioctl(uffd, UFFDIO_API, argAddress) < 0) {
                int e = LibC.errno();
                closeFds();
                throw new IOException("UFFDIO_API with asynchronous write-protect failed: " + LibC.strerror(e)
                        + (e == 22 ? " (the process's userfaultfd was already set up by someone else)" : ""));
            }
            int pagemap = files.readOnlyFd("/proc/" + pid + "/pagemap");
            if (pagemap < 0) {
                closeFds();
                throw new IOException("cannot open /proc/" + pid + "/pagemap: " + LibC.strerror(-pagemap));
            }
            this.pagemapFd = pagemap;
            try {
                registerNew();
            } catch (IOException | RuntimeException e) {
                // the caller gets no session to close
                closeFds();
                throw e;
            }
        }

        @Override
        public boolean sawNoAddressSpace() {
            return sawNoAddressSpace;
        }

        /**
         * After an exec: the old userfaultfd and pagemap belong to the old
         * address space. Takes the new program's userfaultfd (made by the
         * shim again, if the program was started with it in LD_PRELOAD) and
         * registers its mappings afresh.
         */
        @Override
        public void reopen() throws IOException {
            closeFds();
            registered.clear();
            registeredBytes = 0;
            sawNoAddressSpace = false;
            open();
        }

        /**
         * Registers every private writable anonymous mapping not yet registered
         * (called at open and at each update); others stay unwatched, and
         * samples there count as not written.
         */
        @Override
        public void update() {
            try {
                registerNew();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void registerNew() throws IOException {
            List<ProcMaps.Mapping> maps = ProcMaps.read(pid);
            for (ProcMaps.Mapping m : maps) {
                if (!m.perms().startsWith("rw") || m.perms().charAt(3) != 'p'
                        || !(m.path().isEmpty() || m.path().equals("[heap]") || m.path().equals("[stack]"))) {
                    continue;
                }
                Long end = registered.get(m.start());
                if (end != null && end == m.end()) {
                    continue;
                }
                Memory reg = new Memory(32);
                reg.clear();
                reg.setLong(0, m.start());
                reg.setLong(8, m.size());
                reg.setLong(16, UFFDIO_REGISTER_MODE_WP);
                if (LibC.ioctl(uffd, UFFDIO_REGISTER, Pointer.nativeValue(reg)) == 0) {
                    registered.put(m.start(), m.end());
                    registeredBytes += m.size();
                }
            }
        }

        /**
         * Room for this many regions' pages and results, grown (a rare
         * allocation) when a target has more; DAMON's default maximum is 1000.
         */
        private void ensureCapacity(int n) {
            if (n > capacity) {
                capacity = Math.max(n, 2 * capacity);
                pages = new Memory(8L * capacity);
                pagesAddress = Pointer.nativeValue(pages);
                results = new Memory(4L * capacity);
                resultsAddress = Pointer.nativeValue(results);
            }
        }

        @Override
        public void prepare(MonitoringTarget target) {
            int n = target.regionCount();
            samples += n;
            if (!batch) {
                prepareEach(target, n);
                return;
            }
            ensureCapacity(n);
            for (int i = 0; i < n; i++) {
                pages.setLong(8L * i, target.samplingAddress(i) & ~4095L);
            }
            if (UffdBatch.jdamon_uffd_protect(uffd, pagesAddress, n, resultsAddress) > 0) {
                for (int i = 0; i < n; i++) {
                    int e = results.getInt(4L * i);
                    if (e != 0) {
                        unprotectable++; // not a registered mapping: never reported written
                        if (e == ESRCH) {
                            sawNoAddressSpace = true;
                        }
                    }
                }
            }
        }

        /** {@link #prepare} with one JNA call per region. */
        private void prepareEach(MonitoringTarget target, int n) {
            for (int i = 0; i < n; i++) {
                long page = target.samplingAddress(i) & ~4095L;
                // struct uffdio_writeprotect { range { start, len }, mode }
                arg.setLong(0, page);
                arg.setLong(8, 4096);
                arg.setLong(16, UFFDIO_WRITEPROTECT_MODE_WP);
                if (LibC.ioctl(uffd, UFFDIO_WRITEPROTECT, argAddress) < 0) {
                    unprotectable++; // not a registered mapping: never reported written
                    if (LibC.errno() == ESRCH) {
                        sawNoAddressSpace = true;
                    }
                }
            }
        }

        @Override
        public void check(MonitoringTarget target) {
            int n = target.regionCount();
            if (!batch) {
                checkEach(target, n);
                return;
            }
            ensureCapacity(n);
            for (int i = 0; i < n; i++) {
                pages.setLong(8L * i, target.samplingAddress(i) & ~4095L);
            }
            UffdBatch.jdamon_uffd_scan(pagemapFd, pagesAddress, n, resultsAddress);
            for (int i = 0; i < n; i++) {
                int r = results.getInt(4L * i);
                if (r > 0) {
                    target.markAccessed(i);
                } else if (r < 0) {
                    scanFailed(-r);
                }
            }
        }

        /** {@link #check} with one JNA call per region. */
        private void checkEach(MonitoringTarget target, int n) {
            for (int i = 0; i < n; i++) {
                long page = target.samplingAddress(i) & ~4095L;
                arg.setLong(0, 96); // size
                arg.setLong(8, 0); // flags: report only
                arg.setLong(16, page);
                arg.setLong(24, page + 4096);
                arg.setLong(32, 0);
                arg.setLong(40, vecAddress);
                arg.setLong(48, 1);
                arg.setLong(56, 0);
                arg.setLong(64, 0);
                arg.setLong(72, PAGE_IS_WPALLOWED | PAGE_IS_WRITTEN); // must be both
                arg.setLong(80, 0);
                arg.setLong(88, PAGE_IS_WRITTEN);
                int found = LibC.ioctl(pagemapFd, PAGEMAP_SCAN, argAddress);
                if (found > 0) {
                    target.markAccessed(i);
                } else if (found < 0) {
                    scanFailed(LibC.errno());
                }
            }
        }

        /** A page's scan failed: the address space is gone (ESRCH), outside any mapping (EFAULT), or worse. */
        private void scanFailed(int errno) {
            if (errno == ESRCH) {
                sawNoAddressSpace = true;
            } else if (errno != EFAULT) {
                throw new UncheckedIOException(new IOException("PAGEMAP_SCAN on PID " + pid + " failed: "
                        + LibC.strerror(errno)));
            }
        }

        @Override
        public Map<String, String> describe() {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("registeredBytes", Long.toString(registeredBytes));
            m.put("ioctls", batch ? "two native calls per sample for all regions (uffd_batch.c)"
                    : "one JNA call per ioctl (" + (UffdBatch.unavailableReason() != null
                            ? UffdBatch.unavailableReason() : UffdBatch.PROPERTY + "=false") + ")");
            m.put("watches", "private writable anonymous mappings only; other memory never counts as written");
            return m;
        }

        @Override
        public void close() {
            closeFds();
        }

        private void closeFds() {
            if (pagemapFd >= 0) {
                LibC.close(pagemapFd);
                pagemapFd = -1;
            }
            if (uffd >= 0) {
                LibC.close(uffd);
                uffd = -1;
            }
        }
    }
}
