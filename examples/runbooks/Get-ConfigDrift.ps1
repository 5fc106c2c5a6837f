<#
.SYNOPSIS
    Reports how the config of the latest W&B runs has drifted from a baseline run.

.DESCRIPTION
    Compares the config of a baseline run (-BaselineId, such as the run behind the model in production) with the
    config of each of the latest -Last runs (newest first, the baseline itself left out), key by key with
    Compare-RunConfig: nested keys as dotted paths (optimizer.name), the SDK's own _wandb keys left out. Keys that
    match -IgnoreKey (wildcards; a pattern that names a nested map also covers its keys) are not counted, so keys
    expected to change, such as seeds or output paths, do not hide the drift that matters.

    The runs come from local run folders (-Path) or from a W&B project over the API (-Project, with -Entity or as
    entity/project). With neither, the module chooses the source as its cmdlets do: the Connect-Wandb project, then
    ./wandb in the current location, then WANDB_PROJECT. The API key comes from -ApiKey, Connect-Wandb,
    WANDB_API_KEY or the netrc file that `wandb login` writes. Over the API the server sorts the runs newest first,
    so paging stops once the latest -Last runs have arrived.

    Writes one object per drifted run (with -IncludeUnchanged, per compared run): RunId, Name, State, CreatedAt,
    BaselineId, Drifted (bool), DriftedKeys (the keys, in config order), Drift (one line: key: old -> new, where
    (none) means the key is missing on that side) and Differences (the ConfigDifference objects, with
    SideIndicator <> changed, <= only in the baseline, => only in the run).

.PARAMETER BaselineId
    The id of the run to compare with.

.PARAMETER Last
    How many of the newest runs to compare (default 10).

.PARAMETER IgnoreKey
    Config keys not to count, wildcards allowed (seed, *_dir, wandb_*). A pattern that names a nested map, such as
    optimizer, also ignores its keys (optimizer.name, optimizer.beta1).

.PARAMETER IncludeUnchanged
    Also write the runs whose config matches the baseline (Drifted = $false).

.PARAMETER Path
    A wandb folder (or a folder that holds one, or run folders) to read local runs from.

.PARAMETER Project
    The W&B project to read over the API; entity/project is accepted.

.PARAMETER Entity
    The entity (team or user) of -Project. Default: the connection, WANDB_ENTITY, or the key's own entity.

.PARAMETER BaseUrl
    The W&B server (default: the connection, WANDB_BASE_URL, the wandb settings files, or https://api.wandb.ai).

.PARAMETER ApiKey
    The API key, as a SecureString (default: Connect-Wandb, WANDB_API_KEY, then the netrc file).

.EXAMPLE
    ./Get-ConfigDrift.ps1 -Project acme-ml/mnist-sweep -BaselineId fin0001a -Last 5 | Format-Table RunId, Drift

    What changed in the five newest runs, compared with fin0001a.

.EXAMPLE
    ./Get-ConfigDrift.ps1 -Path ./wandb -BaselineId fin0001a -IgnoreKey learning_rate, seed

    Drift other than the learning rate and the seed, which a sweep changes on purpose.

.EXAMPLE
    ./Get-ConfigDrift.ps1 -Project acme-ml/mnist-sweep -BaselineId fin0001a -Last 50 |
        ForEach-Object { $_.DriftedKeys } | Group-Object -NoElement | Sort-Object Count -Descending

    Which keys drift most often across the 50 newest runs.

.OUTPUTS
    System.Management.Automation.PSCustomObject (WandbRunOps.Runbooks.ConfigDrift)

.NOTES
    Needs the WandbRunOps module (Import-Module WandbRunOps). Works on Windows PowerShell 5.1 and PowerShell 7.4+.
    Tested by Get-ConfigDrift.Tests.ps1 beside it, against local sample runs and the loopback W&B server.
#>
[CmdletBinding(DefaultParameterSetName = 'Default')]
[OutputType([pscustomobject])]
param(
    [Parameter(Mandatory = $true)]
    [ValidateNotNullOrEmpty()]
    [string] $BaselineId,

    [ValidateRange(1, 10000)]
    [int] $Last = 10,

    [SupportsWildcards()]
    [string[]] $IgnoreKey = @(),

    [switch] $IncludeUnchanged,

    [Parameter(Mandatory = $true, ParameterSetName = 'Path')]
    [ValidateNotNullOrEmpty()]
    [string[]] $Path,

    [Parameter(Mandatory = $true, ParameterSetName = 'Api')]
    [ValidateNotNullOrEmpty()]
    [string] $Project,

    [Parameter(ParameterSetName = 'Api')]
    [ValidateNotNullOrEmpty()]
    [string] $Entity,

    [Parameter(ParameterSetName = 'Api')]
    [ValidateNotNullOrEmpty()]
    [string] $BaseUrl,

    [Parameter(ParameterSetName = 'Api')]
    [ValidateNotNull()]
    [System.Security.SecureString] $ApiKey
)

# A baseline that cannot be read (wrong id, path or project) ends the script rather than report "no drift".
$ErrorActionPreference = 'Stop'

function Test-IgnoredKey {
    param([string] $Key)
    foreach ($pattern in $IgnoreKey) {
        if ($Key -like $pattern -or $Key -like ($pattern + '.*')) {
            return $true
        }
    }
    return $false
}

function Format-ConfigValue {
    param($Value)
    if ($null -eq $Value) { return '(none)' }
    if ($Value -is [string]) { return "'" + $Value + "'" }
    if ($Value -is [bool]) { return $(if ($Value) { 'true' } else { 'false' }) }
    if ($Value -is [array]) { return '[' + ((@($Value | ForEach-Object { Format-ConfigValue $_ })) -join ', ') + ']' }
    # PowerShell's own conversion to text is culture-invariant: 0.001, not 0,001.
    return "$Value"
}

# Where the runs come from: -Path, -Project, or (neither) the module's default source.
$source = @{}
if ($PSCmdlet.ParameterSetName -eq 'Path') {
    $source['Path'] = $Path
}
elseif ($PSCmdlet.ParameterSetName -eq 'Api') {
    $source['Project'] = $Project
    if ($Entity) { $source['Entity'] = $Entity }
    if ($BaseUrl) { $source['BaseUrl'] = $BaseUrl }
    if ($ApiKey) { $source['ApiKey'] = $ApiKey }
}

$baselines = @(Get-WandbRun @source -Id $BaselineId)
if ($baselines.Count -ne 1) {
    throw "The baseline '$BaselineId' must name one run; it matches $($baselines.Count)."
}
$baseline = $baselines[0]

# The newest runs first; one more than asked for, in case the baseline is among them.
$latest = @(Get-WandbRun @source -OrderBy '-CreatedAt' -First ($Last + 1) | Where-Object { $_.Id -ne $baseline.Id })
if ($latest.Count -gt $Last) {
    $latest = $latest[0..($Last - 1)]
}

foreach ($run in $latest) {
    $differences = @(Compare-RunConfig -ReferenceRun $baseline -DifferenceRun $run |
        Where-Object { -not (Test-IgnoredKey $_.Key) })
    if ($differences.Count -eq 0 -and -not $IncludeUnchanged) {
        continue
    }

    [pscustomobject]@{
        PSTypeName  = 'WandbRunOps.Runbooks.ConfigDrift'
        RunId       = $run.Id
        Name        = $run.Name
        State       = $run.State
        CreatedAt   = $run.CreatedAt
        BaselineId  = $baseline.Id
        Drifted     = $differences.Count -gt 0
        DriftedKeys = [string[]]@($differences | ForEach-Object { $_.Key })
        Drift       = (@($differences | ForEach-Object {
                    $_.Key + ': ' + (Format-ConfigValue $_.ReferenceValue) + ' -> ' + (Format-ConfigValue $_.DifferenceValue)
                })) -join '; '
        Differences = $differences
    }
}
