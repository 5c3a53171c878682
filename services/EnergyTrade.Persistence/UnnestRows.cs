using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Npgsql;

namespace EnergyTrade.Persistence;

/// <summary>
/// Many rows of one EF entity as a single row source — <c>unnest(@p0, @p1, …) AS alias(col, …)</c>,
/// one array parameter per column — for set-based statements EF cannot express (a group commit with
/// ON CONFLICT DO NOTHING and RETURNING). The columns, their order, store types and value conversions
/// are read from the EF model, so the statement cannot drift from the table: a property added to the
/// entity is written here without a change.
/// </summary>
public sealed class UnnestRows<T> where T : class
{
    private readonly IEntityType _entity;
    private readonly Column[] _columns;

    /// <param name="parameterPrefix">Distinguishes this source's parameters from another's in the same statement.</param>
    public UnnestRows(IModel model, string parameterPrefix)
    {
        _entity = model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not part of the EF model.");
        Table = _entity.GetTableName() ?? throw new InvalidOperationException($"{typeof(T).Name} is not mapped to a table.");
        _columns = _entity.GetProperties()
            // Identity columns and other store-generated values are the database's to fill in.
            .Where(p => p.ValueGenerated == ValueGenerated.Never)
            .Select((p, i) => Column.Of(p, $"{parameterPrefix}{i}"))
            .ToArray();
        ColumnList = string.Join(", ", _columns.Select(c => c.Name));
    }

    public string Table { get; }

    /// <summary>The written columns, comma-separated, in the order of <see cref="Source"/>.</summary>
    public string ColumnList { get; }

    /// <summary>The column a property is stored in, for the ON CONFLICT, ORDER BY, JOIN or RETURNING around the source.</summary>
    public string ColumnOf(string propertyName) => _entity.GetProperty(propertyName).GetColumnName();

    /// <summary>The row source: one row per element of the bound arrays, named <paramref name="alias"/>.</summary>
    public string Source(string alias) =>
        $"unnest({string.Join(", ", _columns.Select(c => "@" + c.Parameter))}) AS {alias}({ColumnList})";

    /// <summary>Adds one array parameter per column holding <paramref name="rows"/>' values, converted as EF would store them.</summary>
    public void Bind(NpgsqlParameterCollection parameters, IReadOnlyList<T> rows)
    {
        foreach (var column in _columns) parameters.Add(column.Bind(rows));
    }

    private sealed record Column(string Name, string Parameter, string ArrayType, Type ElementType, Func<T, object?> Read, ValueConverter? Converter)
    {
        public static Column Of(IProperty property, string parameter)
        {
            var mapping = property.GetRelationalTypeMapping();
            var converter = property.GetValueConverter() ?? mapping.Converter;
            var stored = converter?.ProviderClrType ?? Nullable.GetUnderlyingType(property.ClrType) ?? property.ClrType;
            var element = stored.IsValueType && property.IsNullable ? typeof(Nullable<>).MakeGenericType(stored) : stored;
            var row = Expression.Parameter(typeof(T), "row");
            var read = Expression.Lambda<Func<T, object?>>(
                Expression.Convert(Expression.Property(row, property.PropertyInfo
                    ?? throw new InvalidOperationException($"{typeof(T).Name}.{property.Name} has no CLR property to read.")), typeof(object)),
                row).Compile();
            return new Column(property.GetColumnName(), parameter, ArrayTypeOf(mapping.StoreTypeNameBase), element, read, converter);
        }

        public NpgsqlParameter Bind(IReadOnlyList<T> rows)
        {
            var values = Array.CreateInstance(ElementType, rows.Count);
            for (var i = 0; i < rows.Count; i++)
            {
                var value = Read(rows[i]);
                values.SetValue(value is not null && Converter is not null ? Converter.ConvertToProvider(value) : value, i);
            }
            return new NpgsqlParameter(Parameter, values) { DataTypeName = ArrayType };
        }

        // Texts travel as text[]: PostgreSQL assigns text to varchar(n) and char(n) columns and still
        // checks the length. Every other type travels as an array of its own store type (jsonb[] too,
        // for which there is no assignment cast from text).
        private static string ArrayTypeOf(string storeTypeBase) =>
            (storeTypeBase is "character varying" or "character" or "varchar" or "char" ? "text" : storeTypeBase) + "[]";
    }
}
