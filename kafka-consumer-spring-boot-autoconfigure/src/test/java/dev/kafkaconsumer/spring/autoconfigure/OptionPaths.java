package dev.kafkaconsumer.spring.autoconfigure;

import java.beans.PropertyDescriptor;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.BeanUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Every option of {@link ContainerOptions}, found by reflection as the binder finds them, with its property path
 * ({@code retry.backoff.initial}): tests that must cover every option take them from here, so that an option added
 * later is covered, or fails them until it is.
 */
final class OptionPaths {

    private OptionPaths() {
    }

    /**
     * Returns every option, groups ({@code retry}, {@code buffer}, ...) walked into.
     *
     * @return the options by path, sorted
     */
    static List<Option> options() {
        List<Option> options = new ArrayList<>();
        collect(ContainerOptions.class, "", List.of(), options);
        options.sort((first, second) -> first.path().compareTo(second.path()));
        return options;
    }

    /**
     * Returns the paths of every option.
     *
     * @return the paths, sorted
     */
    static List<String> paths() {
        return options().stream().map(Option::path).collect(Collectors.toList());
    }

    /**
     * Returns the properties of a bean type as the binder sees them, {@code getClass} and deprecated spellings aside.
     *
     * @param type the type
     * @return its properties
     */
    static List<PropertyDescriptor> properties(Class<?> type) {
        List<PropertyDescriptor> properties = new ArrayList<>();
        for (PropertyDescriptor property : BeanUtils.getPropertyDescriptors(type)) {
            Method getter = property.getReadMethod();
            if (getter != null && getter.getDeclaringClass() != Object.class
                    && !getter.isAnnotationPresent(Deprecated.class)) {
                properties.add(property);
            }
        }
        return properties;
    }

    /**
     * Returns a property name as it is written in configuration: {@code maxBytesPerPartition} as
     * {@code max-bytes-per-partition}.
     *
     * @param name the Java name
     * @return the kebab-case name
     */
    static String kebab(String name) {
        return name.replaceAll("([A-Z])", "-$1").toLowerCase(java.util.Locale.ROOT);
    }

    private static void collect(Class<?> type, String prefix, List<PropertyDescriptor> chain, List<Option> into) {
        for (PropertyDescriptor property : properties(type)) {
            List<PropertyDescriptor> path = new ArrayList<>(chain);
            path.add(property);
            String name = prefix + kebab(property.getName());
            boolean group = property.getWriteMethod() == null && !Map.class.isAssignableFrom(property.getPropertyType());
            if (group) {
                collect(property.getPropertyType(), name + ".", path, into);
            }
            else {
                into.add(new Option(name, List.copyOf(path)));
            }
        }
    }

    /**
     * One option.
     *
     * @param path  its property path under {@code kafka.consumer.} or {@code kafka.consumer.containers.<id>.}
     * @param chain the properties from {@link ContainerOptions} down to it
     */
    record Option(String path, List<PropertyDescriptor> chain) {

        Class<?> type() {
            return this.chain.get(this.chain.size() - 1).getPropertyType();
        }

        boolean isMap() {
            return Map.class.isAssignableFrom(type());
        }

        boolean isList() {
            return List.class.isAssignableFrom(type());
        }

        @Nullable Object read(ContainerOptions options) {
            Object current = options;
            for (PropertyDescriptor property : this.chain) {
                current = ReflectionUtils.invokeMethod(property.getReadMethod(), current);
                if (current == null) {
                    return null;
                }
            }
            return current;
        }

        void write(ContainerOptions options, Object value) {
            Object current = options;
            for (PropertyDescriptor property : this.chain.subList(0, this.chain.size() - 1)) {
                current = ReflectionUtils.invokeMethod(property.getReadMethod(), current);
            }
            ReflectionUtils.invokeMethod(this.chain.get(this.chain.size() - 1).getWriteMethod(), current, value);
        }

    }

}
