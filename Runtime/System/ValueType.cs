namespace System
{
    // Base of all structs. Boxed structs are objects whose MethodTable derives from it.
    public abstract class ValueType { }

    // Base of all enums; the compiler gives each enum its `value__` field.
    public abstract class Enum : ValueType { }

    // Nullable<T>: the compiler lowers `T?` for structs to it. Boxing a Nullable is not supported.
    public struct Nullable<T> where T : struct
    {
        private readonly bool hasValue;
        internal T value;

        public Nullable(T value)
        {
            this.value = value;
            hasValue = true;
        }

        public readonly bool HasValue => hasValue;

        public readonly T GetValueOrDefault() => value;

        public static implicit operator Nullable<T>(T value) => new Nullable<T>(value);
    }
}
