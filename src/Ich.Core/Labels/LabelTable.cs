namespace Ich.Core.Labels;

/// <summary>
/// What one label file held after the rules of docs/labels.md: the items by key, and the rows the rules
/// dropped without failing (so a caller can report them).
/// </summary>
/// <typeparam name="T">The format's item record (<see cref="RsnaImageLabel"/>, <see cref="PhysioNetSliceLabel"/>, <see cref="Cq500ScanLabel"/>).</typeparam>
/// <param name="Path">The file read.</param>
/// <param name="Items">Items by key, in file order: RSNA image ID, PhysioNet <c>NNN/slice</c>, CQ500 <c>CQ500-CT-n</c>.</param>
/// <param name="DuplicateRows">Rows that repeated an earlier row exactly and were dropped (the real RSNA file has some).</param>
/// <param name="PartialRows">RSNA wide layout only: rows with some class cells blank, kept as unlabelled.</param>
public sealed record LabelTable<T>(string Path, IReadOnlyDictionary<string, T> Items, int DuplicateRows, int PartialRows = 0);
