package dev.cancelable.examples;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cancelable.source.ResourceSource;
import java.lang.reflect.Constructor;
import java.util.Arrays;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/** Whether Java code can watch resources with the core's resource source. */
class ResourceSourceFromJavaTest {

    @Test
    @Disabled("cancelable-core: ResourceSource takes a kotlin.time.Duration, so its constructor's JVM name is mangled; "
            + "the only constructor javac can call is the no-argument one, which rejects having no threshold, and the "
            + "facade's builder has no resources option. Java users fall back to a condition over a ResourceReader.")
    void javaCanConfigureAResourceSource() {
        boolean configurable = Arrays.stream(ResourceSource.class.getConstructors())
                .filter(c -> !c.isSynthetic() && c.getParameterCount() > 0)
                .map(Constructor::getParameterTypes)
                .anyMatch(types -> Arrays.stream(types).noneMatch(t -> t.getName().startsWith("kotlin.")));
        assertTrue(configurable, "no public constructor of ResourceSource that Java can call with thresholds");
    }

    @Test
    void theOnlyConstructorJavaCanCallRejectsItsDefaults() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, ResourceSource::new);
        assertTrue(e.getMessage().contains("At least one threshold is required"), e.getMessage());
    }
}
