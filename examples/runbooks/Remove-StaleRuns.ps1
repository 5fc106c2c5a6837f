<#
.SYNOPSIS
    Cleans up: deletes the W&B runs that crashed within a minute of starting, and removes the local run folders that
    W&B already has and that have not been active for some days.

.DESCRIPTION
    Two chores of a training team, one script; run it with -WhatIf first.

    Over the API (-Project, with -Entity or as entity/project): every run of the project in state Crashed whose
    runtime (from its start to its last heartbeat) is under -CrashedWithinSeconds (default 60) is deleted with
    Remove-WandbRun. Such a run died while starting up (a typo, a missing package, no free GPU) and holds nothing
    worth keeping. The artifacts a run logged are kept, as Remove-WandbRun keeps them by default.

    On disk (-Path, a wandb folder or a folder that holds one): every run whose folders W&B already has (Synced: a
    run-* folder streamed to W&B, or an offline-run-* folder that `wandb sync` marked synced) and whose last activity
    is more than -OlderThanDays days ago (default 7) has its folders removed with Remove-WandbRun, every folder of a
    resumed run included. A running run and an offline run that was never synced are kept, whatever their age: their
    folders hold the only copy of their data. An old unsynced run is named in a warning.

    Give -Project, -Path or both. The API key comes from -ApiKey, Connect-Wandb, WANDB_API_KEY or the netrc file that
    `wandb login` writes.

    -WhatIf and -Confirm are passed on to Remove-WandbRun: -WhatIf prints, per run, what would go (the run, or its
    folders and their size) and removes nothing. Remove-WandbRun's impact is High, so without -WhatIf it asks before
    each run unless -Confirm:$false is given (as in a scheduled task, once -WhatIf has shown what goes).

    Writes one object per run chosen: Source (Api or Local), RunId, Name, State, Runtime, LastActive (UTC), Reason
    (why it was chosen), Location (the run's page, or its folders) and Removed (whether it is gone when the script
    ends: $false with -WhatIf, for a run declined at the prompt, and for a run whose removal failed, which is also
    reported as an error). A failure on one run does not stop the others. An error reading the runs (a wrong path or
    project, a rejected key, an unreadable run folder) ends the script: nothing is removed on the strength of a
    partial read.

.PARAMETER CrashedWithinSeconds
    API runs: delete crashed runs whose runtime is under this many seconds. Default: 60.

.PARAMETER OlderThanDays
    Local runs: remove synced run folders whose last activity is more than this many days ago. Default: 7.

.PARAMETER WhatIf
    Shows each run Remove-WandbRun would delete, and each local run's folders and their size, and removes nothing.

.PARAMETER Confirm
    -Confirm:$false removes without asking (Remove-WandbRun otherwise asks before each run); -Confirm asks in any case.

.PARAMETER Path
    A wandb folder (or a folder that holds one, or run folders) to clean up.

.PARAMETER Project
    The W&B project to clean up over the API; entity/project is accepted.

.PARAMETER Entity
    The entity (team or user) of -Project. Default: the connection, WANDB_ENTITY, or the key's own entity.

.PARAMETER BaseUrl
    The W&B server (default: the connection, WANDB_BASE_URL, the wandb settings files, or https://api.wandb.ai).

.PARAMETER ApiKey
    The API key, as a SecureString (default: Connect-Wandb, WANDB_API_KEY, then the netrc file).

.EXAMPLE
    ./Remove-StaleRuns.ps1 -Project acme-ml/mnist-sweep -Path ~/train/wandb -WhatIf

    What if: Performing the operation "Remove: delete run (its artifacts are kept)" on target
    "acme-ml/mnist-sweep/q7x2k9ab (fresh-dawn-9)".
    What if: Performing the operation "Remove: remove run folder /home/ana/train/wandb/run-20261114_120000-fin0001a
    (18.2 KB)" on target "fin0001a (brisk-river-1)".

    Shows what would go, on W&B and on disk, and removes nothing.

.EXAMPLE
    ./Remove-StaleRuns.ps1 -Project acme-ml/mnist-sweep -Path ~/train/wandb -Confirm:$false | Format-Table Source, RunId, Reason, Removed

    Removes them without asking, after the -WhatIf above has shown what goes.

.EXAMPLE
    ./Remove-StaleRuns.ps1 -Path /scratch/wandb -OlderThanDays 30 -Confirm

    Frees disk on a training box: the synced run folders not active for 30 days, asking before each run.

.OUTPUTS
    System.Management.Automation.PSCustomObject (WandbRunOps.Runbooks.StaleRun)

.NOTES
    Needs the WandbRunOps module (Import-Module WandbRunOps). Works on Windows PowerShell 5.1 and PowerShell 7.4+.
    Tested by Remove-StaleRuns.Tests.ps1 beside it, against the loopback W&B server and sample run folders.
#>
[CmdletBinding(SupportsShouldProcess = $true, ConfirmImpact = 'High')]
[OutputType([pscustomobject])]
param(
    [ValidateRange(1, 86400)]
    [int] $CrashedWithinSeconds = 60,

    [ValidateRange(0, 36500)]
    [int] $OlderThanDays = 7,

    [ValidateNotNullOrEmpty()]
    [string[]] $Path,

    [ValidateNotNullOrEmpty()]
    [string] $Project,

    [ValidateNotNullOrEmpty()]
    [string] $Entity,

    [ValidateNotNullOrEmpty()]
    [string] $BaseUrl,

    [ValidateNotNull()]
    [System.Security.SecureString] $ApiKey
)

if (-not $Path -and -not $Project) {
    throw 'Give -Project (crashed W&B runs to delete), -Path (local run folders to remove), or both.'
}

# -WhatIf and -Confirm, passed on to Remove-WandbRun, which prints or asks about each run it would remove.
$change = @{ WhatIf = [bool]$WhatIfPreference }
if ($PSBoundParameters.ContainsKey('Confirm')) { $change['Confirm'] = [bool]$PSBoundParameters['Confirm'] }

$now = [datetime]::UtcNow

function New-StaleRun {
    param($Run, [string] $Source, [string] $Reason, [string] $Location)
    [pscustomobject]@{
        PSTypeName = 'WandbRunOps.Runbooks.StaleRun'
        Source     = $Source
        RunId      = $Run.Id
        Name       = $Run.Name
        State      = $Run.State
        Runtime    = $Run.Runtime
        LastActive = $Run.HeartbeatAt
        Reason     = $Reason
        Location   = $Location
        Removed    = $false
    }
}

$stale = @()

if ($Project) {
    $api = @{ Project = $Project }
    if ($Entity) { $api['Entity'] = $Entity }
    if ($BaseUrl) { $api['BaseUrl'] = $BaseUrl }
    if ($ApiKey) { $api['ApiKey'] = $ApiKey }

    # The state filter goes to the server; the runtime (heartbeat minus start) is compared here.
    $limit = [timespan]::FromSeconds($CrashedWithinSeconds)
    $crashed = @(Get-WandbRun @api -State Crashed -ErrorAction Stop | Where-Object { $_.Runtime -lt $limit })
    if ($crashed.Count -gt 0) {
        $crashed | Remove-WandbRun @change
        # What is gone is what the server no longer lists, whatever happened on the way (-WhatIf, "No", an error).
        $left = @{}
        Get-WandbRun @api -State Crashed -ErrorAction Stop | ForEach-Object { $left[$_.Id] = $true }
        foreach ($run in $crashed) {
            $entry = New-StaleRun $run 'Api' ('crashed after {0:N0} s' -f $run.Runtime.TotalSeconds) $run.Url
            $entry.Removed = -not $left.ContainsKey($run.Id)
            $stale += $entry
        }
    }
}

if ($Path) {
    $cutoff = $now.AddDays(-$OlderThanDays)
    $old = @(Get-WandbRun -Path $Path -ErrorAction Stop | Where-Object { $_.HeartbeatAt -lt $cutoff })
    # Only folders W&B already has, and never a running run's: the others hold the only copy of their data.
    foreach ($run in $old | Where-Object { $_.Synced -ne $true }) {
        Write-Warning "Kept $($run.Id) ($($run.Name)): last active $($run.HeartbeatAt.ToString('u')), but never synced to W&B, so its folder holds the only copy (wandb sync '$($run.Path)' first)."
    }
    $synced = @($old | Where-Object { $_.Synced -eq $true -and [string]$_.State -ne 'Running' })
    if ($synced.Count -gt 0) {
        $synced | Remove-WandbRun @change
        foreach ($run in $synced) {
            $folders = @($(if ($run.Folders.Count -gt 0) { $run.Folders } else { $run.Path }))
            $entry = New-StaleRun $run 'Local' ('synced, last active {0:N1} days ago' -f ($now - $run.HeartbeatAt).TotalDays) ($folders -join [System.IO.Path]::PathSeparator)
            $entry.Removed = @($folders | Where-Object { Test-Path -LiteralPath $_ }).Count -eq 0
            $stale += $entry
        }
    }
}

$stale
