<#
.SYNOPSIS
    Tags the best finished run of a W&B sweep that logged the model as the release candidate, and takes the tag off
    every other run of the project.

.DESCRIPTION
    Among the finished runs of the sweep (-Sweep) that logged the artifact -Artifact (default model:latest), the best
    one by the summary metric -Metric (default accuracy; -Goal Maximize or Minimize) gets the tag -Tag (default
    release-candidate). Runs that logged NaN, Infinity or nothing for the metric do not count, nor do failed, crashed
    and running runs. Then every other run of the project that holds the tag loses it, so exactly one run holds it.

    The candidate is tagged first; the tag is taken off the previous holders only once the candidate holds it (or,
    with -WhatIf, to show what would happen). If tagging the candidate fails or is declined at a -Confirm prompt, the
    previous holders keep the tag and the script says so.

    The changes go through Set-WandbRun, which reads each run fresh and adds or removes the one tag, leaving the run's
    other tags as they are. -WhatIf and -Confirm are passed on to it: -WhatIf prints each change Set-WandbRun would
    send, such as `tags [sweep, best] -> [sweep, best, release-candidate]`, and sends nothing; -Confirm asks before
    each change. Run it with -WhatIf first.

    The runs must be on W&B (-Project, with -Entity or as entity/project; or, with neither, the Connect-Wandb
    project): local run folders are records, and Set-WandbRun refuses to change them (WandbReadOnlySource). The API
    key comes from -ApiKey, Connect-Wandb, WANDB_API_KEY or the netrc file that `wandb login` writes.

    Returns one result object: Sweep, RunId, Name, Metric, MetricValue, Artifact, Tag, AlreadyTagged (the candidate
    held the tag before), Tagged (it holds the tag now), PreviousHolders (the ids of the other runs that held the
    tag), UntaggedRuns (the ids the tag was taken off now) and Run (the candidate as W&B has it now). When no finished
    run of the sweep logged the artifact and a finite metric, the script ends with the error NoReleaseCandidate and
    changes nothing.

.PARAMETER Sweep
    The sweep id (the SweepId of its runs, such as swp01).

.PARAMETER Metric
    The summary metric that ranks the runs. Default: accuracy.

.PARAMETER Goal
    Maximize (the highest value is best, the default) or Minimize (the lowest, for a loss).

.PARAMETER Artifact
    The artifact the candidate must have logged: name:alias, name:vN or a bare name. Default: model:latest.

.PARAMETER Tag
    The tag that marks the release candidate. Default: release-candidate.

.PARAMETER WhatIf
    Shows each change Set-WandbRun would send (the run, and its tags before and after) and sends nothing.

.PARAMETER Confirm
    Asks before each change (Set-WandbRun asks per run: Yes, Yes to All, No, No to All).

.PARAMETER Project
    The W&B project; entity/project is accepted. Default: the Connect-Wandb project.

.PARAMETER Entity
    The entity (team or user) of -Project. Default: the connection, WANDB_ENTITY, or the key's own entity.

.PARAMETER BaseUrl
    The W&B server (default: the connection, WANDB_BASE_URL, the wandb settings files, or https://api.wandb.ai).

.PARAMETER ApiKey
    The API key, as a SecureString (default: Connect-Wandb, WANDB_API_KEY, then the netrc file).

.EXAMPLE
    ./Set-ReleaseCandidate.ps1 -Project acme-ml/mnist-sweep -Sweep swp01 -WhatIf

    What if: Performing the operation "Set tags [sweep, best] -> [sweep, best, release-candidate]" on target
    "acme-ml/mnist-sweep/fin0002b (calm-forest-2)".
    What if: Performing the operation "Set tags [baseline, release-candidate] -> [baseline]" on target
    "acme-ml/mnist-sweep/fin0001a (brisk-river-1)".

    Shows the two changes and sends nothing. Run it again without -WhatIf to make them.

.EXAMPLE
    ./Set-ReleaseCandidate.ps1 -Project acme-ml/mnist-sweep -Sweep swp01 | Format-List RunId, MetricValue, Tagged, UntaggedRuns

    RunId        : fin0002b
    MetricValue  : 0.95
    Tagged       : True
    UntaggedRuns : {fin0001a}

.EXAMPLE
    ./Set-ReleaseCandidate.ps1 -Project acme-ml/mnist-sweep -Sweep $SWEEP -Metric val_loss -Goal Minimize -Artifact 'model:best' -Confirm

    Ranks by the lowest validation loss among the runs that logged the model version aliased best, and asks before
    each change.

.OUTPUTS
    System.Management.Automation.PSCustomObject (WandbRunOps.Runbooks.ReleaseCandidate)

.NOTES
    Needs the WandbRunOps module (Import-Module WandbRunOps). Works on Windows PowerShell 5.1 and PowerShell 7.4+.
    Tested by Set-ReleaseCandidate.Tests.ps1 beside it, against the loopback W&B server serving the sample runs.
#>
[CmdletBinding(DefaultParameterSetName = 'Default', SupportsShouldProcess = $true, ConfirmImpact = 'Medium')]
[OutputType([pscustomobject])]
param(
    [Parameter(Mandatory = $true)]
    [ValidateNotNullOrEmpty()]
    [string] $Sweep,

    [ValidateNotNullOrEmpty()]
    [string] $Metric = 'accuracy',

    [ValidateSet('Maximize', 'Minimize')]
    [string] $Goal = 'Maximize',

    [ValidateNotNullOrEmpty()]
    [string] $Artifact = 'model:latest',

    [ValidateNotNullOrEmpty()]
    [string] $Tag = 'release-candidate',

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

# A failed read or change ends the script: the previous holders never lose the tag to a candidate that did not get it.
$ErrorActionPreference = 'Stop'

# A summary value as a finite double, or $null (missing, text, NaN, Infinity).
function ConvertTo-FiniteNumber {
    param($Value)
    if ($Value -is [double] -or $Value -is [single] -or $Value -is [long] -or $Value -is [int] -or $Value -is [decimal]) {
        $number = [double]$Value
        if (-not [double]::IsNaN($number) -and -not [double]::IsInfinity($number)) {
            return $number
        }
    }
    return $null
}

$source = @{}
if ($PSCmdlet.ParameterSetName -eq 'Api') {
    $source['Project'] = $Project
    if ($Entity) { $source['Entity'] = $Entity }
    if ($BaseUrl) { $source['BaseUrl'] = $BaseUrl }
    if ($ApiKey) { $source['ApiKey'] = $ApiKey }
}

# -WhatIf and -Confirm, passed on to Set-WandbRun, which prints or asks about each change it would send.
$change = @{ WhatIf = [bool]$WhatIfPreference }
if ($PSBoundParameters.ContainsKey('Confirm')) { $change['Confirm'] = [bool]$PSBoundParameters['Confirm'] }

# The finished runs of the sweep, best first. -OrderBy ranks a missing value and NaN below every number (descending)
# or above none (ascending), so skipping the values that are not finite leaves the runs in order of merit.
$order = $(if ($Goal -eq 'Maximize') { '-' } else { '+' }) + 'Summary.' + $Metric
$finished = @(Get-WandbRun @source -Sweep $Sweep -State Finished -OrderBy $order)
$ranked = @($finished | Where-Object { $null -ne (ConvertTo-FiniteNumber $_.Summary[$Metric]) })

# The best run that logged the artifact; a run that did not log it writes WandbArtifactNotFound: that is "no".
$best = $null
foreach ($run in $ranked) {
    $artifactErrors = $null
    $logged = $run | Get-RunLoggedArtifact -Name $Artifact -ErrorAction SilentlyContinue -ErrorVariable artifactErrors |
        Select-Object -First 1
    $otherErrors = @($artifactErrors | Where-Object { $_.FullyQualifiedErrorId -notlike 'WandbArtifactNotFound,*' })
    if ($otherErrors.Count -gt 0) {
        throw $otherErrors[0]
    }
    if ($null -ne $logged) {
        $best = $run
        break
    }
    Write-Verbose "$($run.Id) has $Metric $($run.Summary[$Metric]) but did not log $Artifact."
}

if ($null -eq $best) {
    $record = New-Object System.Management.Automation.ErrorRecord (
        (New-Object System.InvalidOperationException ("No release candidate in sweep '$Sweep': no finished run logged $Artifact and a finite '$Metric' ($($finished.Count) finished, $($ranked.Count) with a finite '$Metric'). No tag was changed.")),
        'NoReleaseCandidate',
        [System.Management.Automation.ErrorCategory]::ObjectNotFound,
        $Sweep)
    $PSCmdlet.ThrowTerminatingError($record)
}

$bestValue = ConvertTo-FiniteNumber $best.Summary[$Metric]
$alreadyTagged = $best.Tags -contains $Tag
Write-Verbose "Release candidate of sweep ${Sweep}: $($best.Id) ($($best.Name)), $Metric $bestValue, logged $Artifact."

# The candidate first: Set-WandbRun adds the tag to a fresh read of its tags (nothing is sent when it has it already).
$null = $best | Set-WandbRun -AddTag $Tag @change
$current = Get-WandbRun @source -Id $best.Id
$tagged = $current.Tags -contains $Tag

# Every other run of the project that holds the tag loses it, once the candidate holds it (or to show it, with -WhatIf).
$previous = @(Get-WandbRun @source -Tag $Tag | Where-Object { $_.Id -ne $best.Id })
$untagged = @()
if ($previous.Count -gt 0) {
    if ($tagged -or $WhatIfPreference) {
        $untagged = @($previous | Set-WandbRun -RemoveTag $Tag -PassThru @change | ForEach-Object { $_.Id })
    }
    else {
        Write-Warning ("$($best.Id) was not tagged $Tag, so $(@($previous | ForEach-Object { $_.Id }) -join ', ') keep(s) the tag.")
    }
}

[pscustomobject]@{
    PSTypeName      = 'WandbRunOps.Runbooks.ReleaseCandidate'
    Sweep           = $Sweep
    RunId           = $best.Id
    Name            = $best.Name
    Metric          = $Metric
    MetricValue     = $bestValue
    Artifact        = $Artifact
    Tag             = $Tag
    AlreadyTagged   = $alreadyTagged
    Tagged          = $tagged
    PreviousHolders = [string[]]@($previous | ForEach-Object { $_.Id })
    UntaggedRuns    = [string[]]$untagged
    Run             = $current
}
