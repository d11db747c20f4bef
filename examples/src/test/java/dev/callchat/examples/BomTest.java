package dev.callchat.examples;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The BOM has no parent (so importing it pins nothing but callchat): keep it in step by hand, checked here. */
class BomTest {
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    @Test
    void theBomHasTheProjectVersionAndPinsEveryPublishedArtifactToIt() throws Exception {
        Document parent = parse(ROOT.resolve("pom.xml"));
        Document bom = parse(ROOT.resolve("bom/pom.xml"));

        assertThat(childText(bom.getDocumentElement(), "version")).isEqualTo(childText(parent.getDocumentElement(), "version"));
        assertThat(bom.getDocumentElement().getElementsByTagName("parent").getLength()).isZero();
        List<String> managed = new ArrayList<>();
        NodeList dependencies = bom.getElementsByTagName("dependency");
        for (int i = 0; i < dependencies.getLength(); i++) {
            Element dependency = (Element) dependencies.item(i);
            if (childText(dependency, "artifactId").equals("jackson-bom")) {
                continue; // checked below
            }
            assertThat(childText(dependency, "version")).isEqualTo("${project.version}");
            managed.add(childText(dependency, "groupId") + ":" + childText(dependency, "artifactId"));
        }
        assertThat(managed).containsExactlyInAnyOrder("dev.callchat:callchat-core", "dev.callchat:callchat-twilio",
                "dev.callchat:callchat-test", "dev.callchat:callchat-launcher", "dev.callchat:callchat-server-undertow",
                "dev.callchat:callchat-server-micronaut", "dev.callchat:callchat-spring-boot", "dev.callchat:callchat-web-client");
    }

    /** A consumer importing only the BOM must get one Jackson version, the one callchat-core is built with. */
    @Test
    void theBomConvergesJacksonOnTheParentsVersion() throws Exception {
        Document parent = parse(ROOT.resolve("pom.xml"));
        Document bom = parse(ROOT.resolve("bom/pom.xml"));

        assertThat(property(bom, "jackson.version")).isEqualTo(property(parent, "jackson.version"));
        assertThat(bom.getElementsByTagName("artifactId")).satisfies(names -> {
            List<String> all = new ArrayList<>();
            for (int i = 0; i < names.getLength(); i++) {
                all.add(names.item(i).getTextContent().strip());
            }
            assertThat(all).contains("jackson-bom");
        });
    }

    private static String property(Document pom, String name) {
        Element properties = (Element) pom.getDocumentElement().getElementsByTagName("properties").item(0);
        return childText(properties, name);
    }

    private static Document parse(Path pom) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(pom.toFile());
    }

    private static String childText(Element element, String name) {
        NodeList children = element.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            if (children.item(i) instanceof Element child && child.getTagName().equals(name)) {
                return child.getTextContent().strip();
            }
        }
        throw new AssertionError("<" + element.getTagName() + "> has no <" + name + ">");
    }
}
