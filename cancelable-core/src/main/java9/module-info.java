/**
 * The operation model: {@code Cancelable}, cancelation sources, tokens, hierarchy, progress and the
 * operation registry, on kotlinx.coroutines.
 *
 * <p>Compiled into {@code META-INF/versions/9} of a multi-release jar, so the module path sees a real
 * module (which reads the Kotlin stdlib and kotlinx.coroutines by itself) while class-path and
 * Android builds see plain classes.
 */
module dev.cancelable.core {
    requires transitive kotlin.stdlib;
    requires transitive kotlinx.coroutines.core;
    requires org.slf4j;
    // The registry's JMX view and the resource source's readers.
    requires java.management;
    requires jdk.management;
    // The signal source (sun.misc.Signal).
    requires jdk.unsupported;

    exports dev.cancelable;
    exports dev.cancelable.flow;
    exports dev.cancelable.registry;
    exports dev.cancelable.source;
    // The registry's MXBean interface lives here, and JMX calls it reflectively from a class of its
    // own in an unnamed module: open the package at run time (not exported: nobody compiles against it).
    opens dev.cancelable.internal;
}
