/**
 * The web view and the metrics endpoint: {@link io.jdamon.web.internal.WebSettings} turns the
 * {@value io.jdamon.web.internal.WebSettings#PID} configuration into Felix HTTP's; {@link
 * io.jdamon.web.internal.History} keeps a fixed-size ring of aggregations per context; {@link
 * io.jdamon.web.internal.PageServlet} serves the pages and pushes updates as server-sent events;
 * {@link io.jdamon.web.internal.MetricsServlet} serves {@code /metrics}. Private to the bundle.
 */
package io.jdamon.web.internal;
