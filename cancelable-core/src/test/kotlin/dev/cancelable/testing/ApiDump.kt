package dev.cancelable.testing

import java.io.File
import java.lang.reflect.Constructor
import java.lang.reflect.Executable
import java.lang.reflect.Field
import java.lang.reflect.Method
import java.lang.reflect.Modifier
import java.net.URLClassLoader
import kotlin.metadata.KmDeclarationContainer
import kotlin.metadata.Visibility
import kotlin.metadata.jvm.KotlinClassMetadata
import kotlin.metadata.jvm.fieldSignature
import kotlin.metadata.jvm.getterSignature
import kotlin.metadata.jvm.setterSignature
import kotlin.metadata.jvm.signature
import kotlin.metadata.visibility

/**
 * Writes and checks the committed public-API dump of a module (`api/<module>.api`).
 *
 * The dump lists every public or protected class and member of the compiled classes, one per line in
 * JVM form (so mangled names and Kotlin-only shapes are visible to reviewers), skipping
 * `.internal` packages, synthetic members, and declarations that Kotlin marks `internal` or `private`
 * even though they are public in bytecode (read from the Kotlin metadata). Run the module's tests
 * with `-Dcancelable.updateApi=true` to rewrite the file after an intended change.
 */
object ApiDump {

    /** Compares the dump of [classesDir] with [dumpFile]; rewrites it when asked. Returns a failure text or null. */
    fun check(classesDir: File = File("target/classes"), dumpFile: File): String? {
        val actual = dump(classesDir)
        if (System.getProperty("cancelable.updateApi").toBoolean()) {
            dumpFile.parentFile.mkdirs()
            dumpFile.writeText(actual)
            return null
        }
        if (!dumpFile.exists()) return "No API dump at $dumpFile; run the tests with -Dcancelable.updateApi=true to create it."
        val expected = dumpFile.readText()
        if (expected == actual) return null
        val expectedLines = expected.lines().toSet()
        val actualLines = actual.lines().toSet()
        val added = actual.lines().filter { it !in expectedLines && it.isNotBlank() }
        val removed = expected.lines().filter { it !in actualLines && it.isNotBlank() }
        return buildString {
            appendLine("The public API differs from $dumpFile. If the change is intended, run with -Dcancelable.updateApi=true and commit the file.")
            removed.forEach { appendLine("- $it") }
            added.forEach { appendLine("+ $it") }
        }
    }

    fun dump(classesDir: File): String {
        val loader = URLClassLoader(arrayOf(classesDir.toURI().toURL()), ApiDump::class.java.classLoader)
        val classNames = classesDir.walkTopDown()
            .filter { it.isFile && it.name.endsWith(".class") && it.name != "module-info.class" && it.name != "package-info.class" }
            .map { it.relativeTo(classesDir).path.removeSuffix(".class").replace(File.separatorChar, '.') }
            .filterNot { ".internal." in it || it.endsWith(".internal") }
            .sorted()
            .toList()
        return buildString {
            for (name in classNames) {
                val type = Class.forName(name, false, loader)
                val block = classBlock(type) ?: continue
                append(block).append('\n')
            }
        }
    }

    private fun classBlock(type: Class<*>): String? {
        if (type.isSynthetic || type.isAnonymousClass || type.isLocalClass) return null
        if (!isVisible(type.modifiers) || !enclosingVisible(type)) return null
        val kotlin = kotlinDeclarations(type)
        if (kotlin?.classVisible == false) return null
        val members = ArrayList<String>()
        type.declaredFields.filter { shown(it, kotlin) }.mapTo(members) { field(it) }
        type.declaredConstructors.filter { shown(it, kotlin) }.mapTo(members) { executable(it, "<init>", "V") }
        type.declaredMethods.filter { shown(it, kotlin) }.mapTo(members) { executable(it, it.name, descriptor(it.returnType)) }
        if (kotlin?.isFacade == true && members.isEmpty()) return null
        members.sort()
        return buildString {
            append(classHeader(type)).append(" {\n")
            members.forEach { append('\t').append(it).append('\n') }
            append("}\n")
        }
    }

    private fun enclosingVisible(type: Class<*>): Boolean {
        val outer = type.enclosingClass ?: return true
        return isVisible(outer.modifiers) && kotlinDeclarations(outer)?.classVisible != false && enclosingVisible(outer)
    }

    private class KotlinDeclarations(val classVisible: Boolean, val isFacade: Boolean, val hidden: Set<String>)

    private fun kotlinDeclarations(type: Class<*>): KotlinDeclarations? {
        val metadata = type.getAnnotation(Metadata::class.java) ?: return null
        val hidden = HashSet<String>()
        return when (val km = KotlinClassMetadata.readLenient(metadata)) {
            is KotlinClassMetadata.Class -> {
                collectHidden(km.kmClass, hidden)
                km.kmClass.constructors.filterNot { shownVisibility(it.visibility) }.mapNotNullTo(hidden) { it.signature?.toString() }
                KotlinDeclarations(shownVisibility(km.kmClass.visibility), false, hidden)
            }
            is KotlinClassMetadata.FileFacade -> {
                collectHidden(km.kmPackage, hidden)
                KotlinDeclarations(true, true, hidden)
            }
            is KotlinClassMetadata.MultiFileClassPart -> {
                collectHidden(km.kmPackage, hidden)
                KotlinDeclarations(true, true, hidden)
            }
            is KotlinClassMetadata.SyntheticClass -> KotlinDeclarations(false, false, hidden)
            else -> KotlinDeclarations(true, false, hidden)
        }
    }

    private fun collectHidden(container: KmDeclarationContainer, hidden: MutableSet<String>) {
        container.functions.filterNot { shownVisibility(it.visibility) }.mapNotNullTo(hidden) { it.signature?.toString() }
        for (property in container.properties) {
            val propertyHidden = !shownVisibility(property.visibility)
            if (propertyHidden || !shownVisibility(property.getter.visibility)) property.getterSignature?.let { hidden += it.toString() }
            val setter = property.setter
            if (propertyHidden || (setter != null && !shownVisibility(setter.visibility))) property.setterSignature?.let { hidden += it.toString() }
            if (propertyHidden) property.fieldSignature?.let { hidden += "field:" + it.name }
        }
    }

    private fun shownVisibility(visibility: Visibility) = visibility == Visibility.PUBLIC || visibility == Visibility.PROTECTED

    private fun isVisible(modifiers: Int) = Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers)

    private fun shown(member: java.lang.reflect.Member, kotlin: KotlinDeclarations?): Boolean {
        if (member.isSynthetic || !isVisible(member.modifiers)) return false
        if (member is Method && member.isBridge) return false
        if ('$' in member.name && member.name != "\$VALUES") return false
        if (kotlin == null) return true
        val key = when (member) {
            is Method -> member.name + "(" + member.parameterTypes.joinToString("") { descriptor(it) } + ")" + descriptor(member.returnType)
            is Constructor<*> -> "<init>(" + member.parameterTypes.joinToString("") { descriptor(it) } + ")V"
            is Field -> "field:" + member.name
            else -> return true
        }
        return key !in kotlin.hidden
    }

    private fun classHeader(type: Class<*>): String {
        val m = type.modifiers
        val words = ArrayList<String>()
        words += if (Modifier.isPublic(m)) "public" else "protected"
        if (type.isInterface) {
            if (type.isAnnotation) words += "annotation"
            words += "interface"
        } else {
            if (Modifier.isFinal(m)) words += "final"
            if (Modifier.isAbstract(m)) words += "abstract"
            if (type.enclosingClass != null && Modifier.isStatic(m)) words += "static"
            if (type.isEnum) words += "enum"
            words += "class"
        }
        words += internalName(type)
        val supers = listOfNotNull(type.superclass?.takeIf { it != Any::class.java && !type.isEnum }) + type.interfaces
        return words.joinToString(" ") + if (supers.isEmpty()) "" else " : " + supers.joinToString(", ") { internalName(it) }
    }

    private fun field(f: Field): String = modifiers(f.modifiers) + "field " + f.name + " " + descriptor(f.type)

    private fun executable(e: Executable, name: String, returns: String): String =
        modifiers(e.modifiers) + "fun " + name + " (" + e.parameterTypes.joinToString("") { descriptor(it) } + ")" + returns

    private fun modifiers(m: Int): String = buildString {
        append(if (Modifier.isPublic(m)) "public " else "protected ")
        if (Modifier.isStatic(m)) append("static ")
        if (Modifier.isFinal(m)) append("final ")
        if (Modifier.isAbstract(m)) append("abstract ")
    }

    private fun internalName(type: Class<*>) = type.name.replace('.', '/')

    private fun descriptor(type: Class<*>): String = when {
        type.isArray -> "[" + descriptor(type.componentType)
        type == Void.TYPE -> "V"
        type == Int::class.javaPrimitiveType -> "I"
        type == Long::class.javaPrimitiveType -> "J"
        type == Boolean::class.javaPrimitiveType -> "Z"
        type == Double::class.javaPrimitiveType -> "D"
        type == Float::class.javaPrimitiveType -> "F"
        type == Short::class.javaPrimitiveType -> "S"
        type == Byte::class.javaPrimitiveType -> "B"
        type == Char::class.javaPrimitiveType -> "C"
        else -> "L" + internalName(type) + ";"
    }
}
