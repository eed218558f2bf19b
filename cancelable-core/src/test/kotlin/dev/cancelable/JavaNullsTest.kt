package dev.cancelable

import dev.cancelable.registry.OperationRegistry
import dev.cancelable.source.AllOfSource
import dev.cancelable.source.AnyOfSource
import dev.cancelable.source.CancellationSource
import dev.cancelable.source.ResourceSource
import dev.cancelable.source.SourceScope
import dev.cancelable.source.TimeoutSource
import dev.cancelable.testing.ApiEntryPoints
import dev.cancelable.testing.BadInputLedger
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldBeEmpty
import io.kotest.matchers.ints.shouldBeGreaterThan
import io.kotest.matchers.shouldBe
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.emptyFlow
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.test.TestScope
import java.io.File
import java.lang.reflect.Constructor
import java.lang.reflect.Executable
import java.lang.reflect.InvocationTargetException
import java.lang.reflect.Method
import java.lang.reflect.Modifier
import java.lang.reflect.Proxy
import java.time.Clock
import java.time.Instant
import kotlin.coroutines.CoroutineContext
import kotlin.coroutines.EmptyCoroutineContext
import kotlin.metadata.KmFunction
import kotlin.metadata.KmValueParameter
import kotlin.metadata.isNullable
import kotlin.metadata.jvm.KotlinClassMetadata
import kotlin.metadata.jvm.signature
import kotlin.time.Duration.Companion.seconds

/**
 * Nulls from Java: every reference parameter that the Kotlin API (core and test kit) declares
 * non-null, passed null from Java (here, by reflection, which skips Kotlin's compile-time checks just
 * as javac does), fails at the call with a `NullPointerException` naming the parameter, and leaves
 * nothing in the registry. Parameters Kotlin declares nullable accept null by contract.
 *
 * The members come from the committed API dumps, so a new entry point is checked as soon as it is
 * public. Suspending functions are left out (Java cannot call them), and so are `@JvmOverloads` and
 * `@JvmStatic` copies, which delegate to the member checked here.
 */
class JavaNullsTest : FunSpec({

    test("every non-null reference parameter of the Kotlin API rejects a null from Java, naming the parameter") {
        val global = OperationRegistry.global
        val historyBefore = global.history().size
        val problems = ArrayList<String>()
        var checked = 0
        val checkedKeys = sortedSetOf<String>()
        for (module in listOf("cancelable-core", "cancelable-test")) {
            for (member in ApiEntryPoints.members(module)) {
                if (!member.hasParameters || member.isSuspend) continue
                val owner = Class.forName(member.owner.replace('/', '.'))
                val executable = resolve(owner, member.name, member.descriptor) ?: continue
                // An abstract class's constructor runs only under a subclass's; its members are checked.
                if (executable is Constructor<*> && Modifier.isAbstract(owner.modifiers)) continue
                executable.isAccessible = true // protected members are API for subclasses
                val parameters = kotlinParameters(owner, member.name, member.descriptor) ?: continue
                val types = executable.parameterTypes
                for (i in types.indices) {
                    val (name, nullable) = parameters[i]
                    if (types[i].isPrimitive || nullable) continue
                    val args = Array(types.size) { j -> if (j == i) null else Samples.of(types[j]) }
                    val receiver = if (executable is Method && !Modifier.isStatic(executable.modifiers)) Samples.receiver(owner) else null
                    // Interfaces users implement (callbacks, readers) check nothing of their own.
                    if (receiver != null && Proxy.isProxyClass(receiver.javaClass)) continue
                    val outcome = try {
                        when (executable) {
                            is Method -> executable.invoke(receiver, *args)
                            is Constructor<*> -> executable.newInstance(*args)
                            else -> error("unexpected $executable")
                        }
                        "accepted the null"
                    } catch (e: InvocationTargetException) {
                        val cause = e.targetException
                        if (cause is NullPointerException && spellings(name, member.name).any { cause.message.orEmpty().endsWith("parameter $it") }) null
                        else "threw ${cause.javaClass.name}: ${cause.message}"
                    }
                    checked++
                    checkedKeys += member.key
                    if (outcome != null) problems += "${member.key}$member parameter $i '$name': $outcome"
                }
            }
        }
        withClue(problems.joinToString("\n")) { problems.shouldBeEmpty() }
        println("JavaNullsTest: $checked non-null parameters of the Kotlin API checked, in ${checkedKeys.size} entry points: $checkedKeys")
        checked shouldBeGreaterThan 80
        val ledgerKeys = BadInputLedger.entries.filterValues { it.nullsFromJava }.keys
        withClue("checked but not in the ledger: ${checkedKeys - ledgerKeys}; in the ledger but not checked: ${ledgerKeys - checkedKeys}") {
            checkedKeys shouldBe ledgerKeys.toSortedSet()
        }
        global.activeCount shouldBe 0
        global.history().size shouldBe historyBefore
    }
}) {
    private companion object {
        /**
         * How Kotlin's null check may name a parameter: by its name; an extension's receiver as
         * `<this>`, or as `$this$<function>` in a function whose JVM name is mangled (it takes an
         * inline class such as `kotlin.time.Duration`).
         */
        fun spellings(name: String, jvmName: String): List<String> =
            if (name == "<this>") listOf(name, "\$this\$" + jvmName.substringBefore('-')) else listOf(name)

        fun resolve(owner: Class<*>, name: String, descriptor: String): Executable? {
            val candidates: List<Executable> = if (name == "<init>") owner.declaredConstructors.toList() else owner.declaredMethods.filter { it.name == name }
            return candidates.firstOrNull { descriptorOf(it) == descriptor.substringBefore(')') + ")" }
        }

        fun descriptorOf(e: Executable): String = e.parameterTypes.joinToString("", "(", ")") { jvm(it) }

        fun jvm(type: Class<*>): String = when {
            type.isArray -> "[" + jvm(type.componentType)
            type.isPrimitive -> when (type) {
                Int::class.javaPrimitiveType -> "I"
                Long::class.javaPrimitiveType -> "J"
                Boolean::class.javaPrimitiveType -> "Z"
                Double::class.javaPrimitiveType -> "D"
                else -> type.name
            }
            else -> "L" + type.name.replace('.', '/') + ";"
        }

        /**
         * Names and nullability of the JVM parameters of a member as Kotlin declares it (an extension's
         * receiver first, named `<this>` as Kotlin's null check names it), or null when the member is
         * not in the class's Kotlin metadata (a generated overload or static copy).
         */
        fun kotlinParameters(owner: Class<*>, name: String, descriptor: String): List<Pair<String, Boolean>>? {
            val metadata = owner.getAnnotation(Metadata::class.java) ?: return null
            val signature = name + descriptor
            fun of(receiver: Boolean?, values: List<KmValueParameter>) =
                listOfNotNull(receiver?.let { "<this>" to it }) + values.map { it.name to it.type.isNullable }
            fun fromFunctions(functions: List<KmFunction>) = functions.firstOrNull { it.signature?.toString() == signature }
                ?.let { f -> of(f.receiverParameterType?.isNullable, f.valueParameters) }
            return when (val km = KotlinClassMetadata.readLenient(metadata)) {
                is KotlinClassMetadata.Class ->
                    if (name == "<init>") km.kmClass.constructors.firstOrNull { it.signature?.toString() == signature }?.let { of(null, it.valueParameters) }
                    else fromFunctions(km.kmClass.functions)
                is KotlinClassMetadata.FileFacade -> fromFunctions(km.kmPackage.functions)
                is KotlinClassMetadata.MultiFileClassPart -> fromFunctions(km.kmPackage.functions)
                // One JVM class for many files: the functions are declared in its parts.
                is KotlinClassMetadata.MultiFileClassFacade -> km.partClassNames.firstNotNullOfOrNull { part ->
                    kotlinParameters(Class.forName(part.replace('/', '.'), false, owner.classLoader), name, descriptor)
                }
                else -> null
            }
        }
    }

    /** A valid, non-null value of any type the API takes; receivers for instance members. */
    private object Samples {
        fun receiver(owner: Class<*>): Any {
            val outer = owner.enclosingClass
            if (outer != null && (owner.simpleName == "Companion" || owner.simpleName == "Key")) return outer.getField(owner.simpleName).get(null)
            return of(owner)
        }

        fun of(type: Class<*>): Any = when {
            type == Int::class.javaPrimitiveType -> 1
            type == Long::class.javaPrimitiveType -> 1L
            type == Boolean::class.javaPrimitiveType -> false
            type == Double::class.javaPrimitiveType -> 1.0
            type == String::class.java -> "x"
            type == Int::class.javaObjectType -> 1
            type == Double::class.javaObjectType -> 1.0
            type.isArray -> java.lang.reflect.Array.newInstance(type.componentType, 0)
            type.isEnum -> type.enumConstants[0]
            type == Cancelable::class.java -> Cancelable(registry = null)
            type == SourceScope::class.java -> Cancelable(registry = null) as SourceScope
            type == OperationScope::class.java -> runBlocking { Cancelable(registry = null).run { this } }
            type == OperationContext::class.java -> Cancelable(registry = null)
            type == CancellationSource::class.java -> TimeoutSource(java.time.Duration.ofSeconds(1))
            type == AllOfSource::class.java -> AllOfSource(TimeoutSource(java.time.Duration.ofSeconds(1)))
            type == AnyOfSource::class.java -> AnyOfSource(TimeoutSource(java.time.Duration.ofSeconds(1)))
            type == ResourceSource::class.java -> ResourceSource(diskThreshold = 99.0)
            type == CancellationToken::class.java -> CancellationToken()
            type == OperationRegistry::class.java -> OperationRegistry()
            type == java.time.Duration::class.java -> java.time.Duration.ofSeconds(1)
            type == kotlin.time.Duration::class.java -> (1.seconds as Any)
            type == Instant::class.java -> Instant.EPOCH
            type == Clock::class.java -> Clock.systemUTC()
            type == File::class.java -> File(".")
            type == Map::class.java -> emptyMap<String, Any?>()
            type == List::class.java || type == Collection::class.java -> emptyList<Any?>()
            type == CoroutineContext::class.java -> EmptyCoroutineContext
            type == Flow::class.java -> emptyFlow<Any?>()
            type == TestScope::class.java -> TestScope()
            type == ClosedRange::class.java -> 1..2
            type == Throwable::class.java || type == OperationCanceledException::class.java -> CanceledManuallyException()
            type.isInterface -> Proxy.newProxyInstance(type.classLoader, arrayOf(type)) { _, method, _ -> default(method.returnType) }
            else -> construct(type)
        }

        /** A concrete class from its smallest public constructor, with samples for its arguments. */
        private fun construct(type: Class<*>): Any {
            val constructor = type.constructors.filter { Modifier.isPublic(it.modifiers) }.minByOrNull { it.parameterCount }
                ?: error("no sample for $type")
            return try {
                constructor.newInstance(*constructor.parameterTypes.map { of(it) }.toTypedArray())
            } catch (e: InvocationTargetException) {
                throw IllegalStateException("no sample for $type: $constructor threw", e.targetException)
            }
        }

        private fun default(type: Class<*>): Any? = when (type) {
            Boolean::class.javaPrimitiveType -> false
            Double::class.javaPrimitiveType -> 0.0
            Int::class.javaPrimitiveType -> 0
            Long::class.javaPrimitiveType -> 0L
            Void.TYPE -> null
            else -> if (type.isPrimitive) 0 else null
        }
    }
}
