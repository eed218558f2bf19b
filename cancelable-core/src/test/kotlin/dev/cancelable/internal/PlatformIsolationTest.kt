package dev.cancelable.internal

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import java.io.File
import java.net.URLClassLoader

/**
 * Loads the core in a class loader that hides the JDK signal API and management beans, the way
 * Android lacks them, and runs [IsolatedProbe] there: the rest of the core must load and run, and
 * the signal and resource sources must fail at construction with a clear message.
 */
class PlatformIsolationTest : FunSpec({
    test("without the signal API and the management beans the core runs and the platform sources fail clearly") {
        val hidden = listOf("sun.misc.Signal", "java.lang.management.", "com.sun.management.")
        val urls = listOf("target/classes", "target/test-classes").map { File(it).toURI().toURL() }.toTypedArray()
        val loader = object : URLClassLoader(urls, PlatformIsolationTest::class.java.classLoader) {
            override fun loadClass(name: String, resolve: Boolean): Class<*> = synchronized(getClassLoadingLock(name)) {
                if (hidden.any { name.startsWith(it) }) throw ClassNotFoundException("hidden: $name")
                if (!name.startsWith("dev.cancelable.")) return super.loadClass(name, resolve)
                findLoadedClass(name) ?: findClass(name)
            }
        }
        loader.use {
            val probe = it.loadClass(IsolatedProbe::class.java.name)
            probe.classLoader shouldBe it
            @Suppress("UNCHECKED_CAST")
            val outcomes = probe.getMethod("run").invoke(null) as List<String>
            outcomes shouldBe listOf(
                "operation: 42 completed",
                "signal: UnsupportedOperationException: OS signals are not available on this platform: the JDK signal API (sun.misc.Signal) is missing",
                "memory: UnsupportedOperationException: memory readings are not available on this platform: the JDK management beans " +
                    "(java.lang.management, com.sun.management) are missing; pass a ResourceReader for memory",
                "cpu: UnsupportedOperationException: CPU readings are not available on this platform: the JDK management beans " +
                    "(java.lang.management, com.sun.management) are missing; pass a ResourceReader for CPU",
                "injected memory reader: condition",
                "disk: built",
            )
        }
    }
})
