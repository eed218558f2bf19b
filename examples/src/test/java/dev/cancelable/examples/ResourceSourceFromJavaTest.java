package dev.cancelable.examples;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cancelable.source.ResourceSource;
import java.lang.reflect.Constructor;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Whether Java code can watch resources with the core's resource source. */
class ResourceSourceFromJavaTest {

    @Test
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
