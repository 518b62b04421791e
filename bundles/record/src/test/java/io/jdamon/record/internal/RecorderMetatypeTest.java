package io.jdamon.record.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import io.jdamon.api.Configurations;
import io.jdamon.record.RecordFormat;

/**
 * The recorder's metatype (generated from its config type) names the keys and
 * defaults {@link Configurations.Recorder} publishes, under the API's factory
 * PID, and offers the formats the recorder writes.
 */
class RecorderMetatypeTest {

    @Test
    void theMetatypeIsTheApisContract() throws Exception {
        Path file = Path.of("target/classes/OSGI-INF/metatype", RecorderComponent.Config.class.getName() + ".xml");
        assertThat(file).as("the metatype bnd generates").isRegularFile();
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
        Map<String, String> ads = new LinkedHashMap<>();
        NodeList list = doc.getElementsByTagName("AD");
        for (int i = 0; i < list.getLength(); i++) {
            Element ad = (Element) list.item(i);
            ads.put(ad.getAttribute("id"), ad.getAttribute("default"));
        }
        assertThat(ads).containsExactly(Map.entry(Configurations.Recorder.NAME, ""),
                Map.entry(Configurations.Recorder.FILE, Configurations.Recorder.DEFAULT_FILE),
                Map.entry(Configurations.Recorder.SYNC, Boolean.toString(Configurations.Recorder.DEFAULT_SYNC)),
                Map.entry(Configurations.Recorder.OUTPUT_TYPE, Configurations.Recorder.DEFAULT_OUTPUT_TYPE));
        NodeList options = doc.getElementsByTagName("Option");
        for (int i = 0; i < options.getLength(); i++) {
            String format = ((Element) options.item(i)).getAttribute("value");
            assertThat(RecordFormat.of(format).damoName()).as("an offered format the recorder writes")
                    .isEqualTo(format);
        }
        assertThat(options.getLength()).isEqualTo(2);
        Element designate = (Element) doc.getElementsByTagName("Designate").item(0);
        assertThat(designate.getAttribute("factoryPid")).isEqualTo(Configurations.RECORDER_FACTORY_PID);
    }
}
