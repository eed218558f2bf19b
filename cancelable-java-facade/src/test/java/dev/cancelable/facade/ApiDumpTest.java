package dev.cancelable.facade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.cancelable.testing.ApiDump;
import java.io.File;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The facade's public API is the committed dump, and no Kotlin type shows in it. */
class ApiDumpTest {
    private static final File DUMP = new File("api/cancelable-java-facade.api");

    @Test
    void publicApiMatchesTheCommittedDump() {
        assertNull(ApiDump.INSTANCE.check(new File("target/classes"), DUMP));
    }

    @Test
    void dumpNamesNoKotlinType() throws IOException {
        String dump = Files.readString(DUMP.toPath());
        assertFalse(dump.isBlank(), "the dump lists the facade");
        assertFalse(dump.contains("Lkotlin/"), "a kotlin.* type in a public signature");
        assertFalse(dump.contains("kotlin/"), "a kotlin.* supertype");
        assertFalse(dump.contains("kotlinx/"), "a kotlinx.* type in a public signature");
    }

    /** Generic signatures too, which the erased dump cannot show (a {@code Function1} in a type argument). */
    @Test
    void noPublicSignatureMentionsKotlinEvenInTypeArguments() throws Exception {
        List<String> offenders = new ArrayList<>();
        for (Class<?> type : publicFacadeClasses()) {
            List<Type> types = new ArrayList<>();
            if (type.getGenericSuperclass() != null) {
                types.add(type.getGenericSuperclass());
            }
            types.addAll(List.of(type.getGenericInterfaces()));
            check(type.getName(), types, offenders);
            for (Method m : type.getDeclaredMethods()) {
                if (visible(m.getModifiers()) && !m.isSynthetic()) {
                    check(type.getName() + "." + m.getName(), signature(m, m.getGenericReturnType()), offenders);
                }
            }
            for (Constructor<?> c : type.getDeclaredConstructors()) {
                if (visible(c.getModifiers())) {
                    check(type.getName() + ".<init>", signature(c, null), offenders);
                }
            }
            for (Field f : type.getDeclaredFields()) {
                if (visible(f.getModifiers())) {
                    check(type.getName() + "." + f.getName(), List.of(f.getGenericType()), offenders);
                }
            }
        }
        assertEquals(List.of(), offenders);
    }

    static List<Class<?>> publicFacadeClasses() throws Exception {
        Path root = Path.of("target/classes");
        List<Class<?>> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root.resolve("dev/cancelable/facade"))) {
            for (Path p : (Iterable<Path>) files::iterator) {
                String rel = root.relativize(p).toString();
                if (!rel.endsWith(".class") || rel.contains("/internal/") || rel.endsWith("package-info.class")) {
                    continue;
                }
                Class<?> type = Class.forName(rel.replace('/', '.').replace(".class", ""));
                if (Modifier.isPublic(type.getModifiers()) && !type.isSynthetic() && !type.isAnonymousClass()) {
                    out.add(type);
                }
            }
        }
        return out;
    }

    private static boolean visible(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    private static List<Type> signature(Executable e, Type returns) {
        List<Type> types = new ArrayList<>(List.of(e.getGenericParameterTypes()));
        types.addAll(List.of(e.getGenericExceptionTypes()));
        if (returns != null) {
            types.add(returns);
        }
        return types;
    }

    private static void check(String where, List<Type> types, List<String> offenders) {
        for (Type t : types) {
            String name = t.getTypeName();
            if (name.contains("kotlin.") || name.contains("kotlinx.")) {
                offenders.add(where + ": " + name);
            }
        }
    }
}
