package io.jdamon.itests.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.URL;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import io.jdamon.api.MonitoringEngine;

/** The core bundle runs, offers the engine as a service, and describes its configuration. */
class EngineServiceTest {

    @InjectBundleContext
    BundleContext bundleContext;

    @InjectService(timeout = 10_000)
    MonitoringEngine engine;

    private Bundle core() {
        for (Bundle b : bundleContext.getBundles()) {
            if (b.getSymbolicName().equals("io.jdamon.core")) {
                return b;
            }
        }
        return null;
    }

    @Test
    void coreBundleIsActiveAndOffersTheEngine() {
        Bundle core = core();
        assertThat(core).as("the core bundle is installed").isNotNull();
        assertThat(core.getState()).isEqualTo(Bundle.ACTIVE);
        assertThat(engine.statuses()).as("no context configured yet").isEmpty();
    }

    @Test
    void metatypeDescribesEveryContextPropertyWithUnitsAndDefaults() throws Exception {
        List<URL> files = Collections.list(core().findEntries("OSGI-INF/metatype", "*.xml", false));
        assertThat(files).hasSize(1);
        Map<String, Element> attributes = new HashMap<>();
        Element designate;
        try (InputStream in = files.get(0).openStream()) {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(false);
            org.w3c.dom.Document doc = f.newDocumentBuilder().parse(in);
            NodeList ads = doc.getElementsByTagName("AD");
            for (int i = 0; i < ads.getLength(); i++) {
                Element ad = (Element) ads.item(i);
                attributes.put(ad.getAttribute("id"), ad);
            }
            designate = (Element) doc.getElementsByTagName("Designate").item(0);
        }
        assertThat(designate.getAttribute("factoryPid")).isEqualTo("io.jdamon.context");
        assertThat(attributes).containsOnlyKeys("name", "primitive", "targets", "sampleIntervalUs",
                "aggregationIntervalUs", "updateIntervalUs", "minNrRegions", "maxNrRegions", "callbacks",
                "intervalsGoalAggrs", "intervalsGoalAccessBp", "intervalsGoalMinSampleUs", "intervalsGoalMaxSampleUs",
                "schemes");
        assertThat(attributes.values()).allSatisfy(ad -> assertThat(ad.getAttribute("description")).isNotBlank());
        Map<String, String> defaults = Map.of("sampleIntervalUs", "5000", "aggregationIntervalUs", "100000",
                "updateIntervalUs", "60000000", "minNrRegions", "10", "maxNrRegions", "1000",
                "intervalsGoalAggrs", "0", "intervalsGoalAccessBp", "400", "intervalsGoalMinSampleUs", "5000",
                "intervalsGoalMaxSampleUs", "10000000");
        defaults.forEach((id, value) -> {
            assertThat(attributes.get(id).getAttribute("default")).as(id + " default").isEqualTo(value);
            if (id.endsWith("Us")) {
                assertThat(attributes.get(id).getAttribute("description")).as(id + " unit").contains("microseconds");
            }
        });
    }
}
