package io.jdamon.core.internal.osgi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import io.jdamon.api.Configurations;
import io.jdamon.api.IntervalsGoal;
import io.jdamon.api.MonitoringAttributes;

/**
 * The context configuration's contract has one source: the metatype the build
 * generates (what Karaf's config commands and the web console show) lists
 * exactly the keys {@link ContextConfiguration} accepts, with the API's
 * defaults, under the API's factory PID.
 */
class MetatypeContractTest {

    /** @return the ADs of the generated metatype file of {@code ocd}: id to default ("" when none) */
    static Map<String, String> attributes(Document doc) {
        Map<String, String> ads = new LinkedHashMap<>();
        NodeList list = doc.getElementsByTagName("AD");
        for (int i = 0; i < list.getLength(); i++) {
            Element ad = (Element) list.item(i);
            ads.put(ad.getAttribute("id"), ad.getAttribute("default"));
        }
        return ads;
    }

    static Document metatype(String ocd) throws Exception {
        Path file = Path.of("target/classes/OSGI-INF/metatype", ocd + ".xml");
        assertThat(file).as("the metatype bnd generates").isRegularFile();
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
    }

    @Test
    void theMetatypeListsTheAcceptedKeysWithTheApisDefaults() throws Exception {
        Document doc = metatype(ContextConfig.class.getName());
        Map<String, String> ads = attributes(doc);
        assertThat(ads.keySet()).as("the metatype's keys, in order").containsExactlyElementsOf(ContextConfiguration.KEYS);
        assertThat(ads).containsEntry(Configurations.Context.SAMPLE_INTERVAL_US,
                Long.toString(MonitoringAttributes.DEFAULT_SAMPLE_INTERVAL_US))
                .containsEntry(Configurations.Context.AGGREGATION_INTERVAL_US,
                        Long.toString(MonitoringAttributes.DEFAULT_AGGREGATION_INTERVAL_US))
                .containsEntry(Configurations.Context.UPDATE_INTERVAL_US,
                        Long.toString(MonitoringAttributes.DEFAULT_UPDATE_INTERVAL_US))
                .containsEntry(Configurations.Context.MIN_NR_REGIONS,
                        Integer.toString(MonitoringAttributes.DEFAULT_MIN_NR_REGIONS))
                .containsEntry(Configurations.Context.MAX_NR_REGIONS,
                        Integer.toString(MonitoringAttributes.DEFAULT_MAX_NR_REGIONS))
                .containsEntry(Configurations.Context.INTERVALS_GOAL_AGGRS, "0")
                .containsEntry(Configurations.Context.INTERVALS_GOAL_ACCESS_BP,
                        Integer.toString(IntervalsGoal.RECOMMENDED_ACCESS_BP))
                .containsEntry(Configurations.Context.INTERVALS_GOAL_MIN_SAMPLE_US,
                        Long.toString(IntervalsGoal.RECOMMENDED_MIN_SAMPLE_US))
                .containsEntry(Configurations.Context.INTERVALS_GOAL_MAX_SAMPLE_US,
                        Long.toString(IntervalsGoal.RECOMMENDED_MAX_SAMPLE_US));
        Element designate = (Element) doc.getElementsByTagName("Designate").item(0);
        assertThat(designate.getAttribute("factoryPid")).isEqualTo(Configurations.CONTEXT_FACTORY_PID)
                .isEqualTo(ConfiguredContextComponent.FACTORY_PID);
    }

    @Test
    void everyMetatypeKeyIsAcceptedAndAnOtherOneIsNot() throws Exception {
        Map<String, Object> all = new HashMap<>();
        for (String key : attributes(metatype(ContextConfig.class.getName())).keySet()) {
            all.put(key, switch (key) {
                case Configurations.Context.NAME -> "ctx";
                case Configurations.Context.PRIMITIVE -> "sim";
                case Configurations.Context.TARGETS -> new String[] {"stairs"};
                case Configurations.Context.CALLBACKS -> new String[] {"rec"};
                case Configurations.Context.SCHEMES -> new String[] {"--damos_action stat"};
                case Configurations.Context.MIN_NR_REGIONS, Configurations.Context.MAX_NR_REGIONS -> 10;
                case Configurations.Context.INTERVALS_GOAL_AGGRS -> 3;
                case Configurations.Context.INTERVALS_GOAL_ACCESS_BP -> 400;
                default -> 100_000L; // the intervals
            });
        }
        ContextConfiguration ok = ContextConfiguration.parse("io.jdamon.context~ctx", all);
        assertThat(ok.problems()).as("a configuration of every metatype key").isEmpty();
        assertThat(ok.definition().attributes().sampleIntervalUs()).isEqualTo(100_000L);

        all.put("sampleIntervalMs", 5L);
        assertThat(ContextConfiguration.parse("io.jdamon.context~ctx", all).problemText())
                .as("a key the metatype does not list").contains("sampleIntervalMs");
    }
}
