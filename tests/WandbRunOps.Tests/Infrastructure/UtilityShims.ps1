# Test-only stand-ins for the few Microsoft.PowerShell.Utility/Management cmdlets the README tour uses. The hosted
# engine here has only the Core cmdlets (the Utility module is not available from NuGet), so the tour test defines
# these, covering exactly the parameters the tour uses. On real PowerShell, tests/Readme.Tests.ps1 runs the same
# commands with the real cmdlets.

function Set-Location {
    param([Parameter(Mandatory, Position = 0)][string] $Path)
    $null = $ExecutionContext.SessionState.Path.SetLocation($Path)
}

function Sort-Object {
    param([Parameter(Position = 0)][object] $Property, [switch] $Descending, [Parameter(ValueFromPipeline)] $InputObject)
    begin { $items = [System.Collections.Generic.List[object]]::new() }
    process { $items.Add($InputObject) }
    end {
        $key = if ($Property -is [scriptblock]) { $Property } else { $name = [string]$Property; { $_.$name }.GetNewClosure() }
        $keyed = foreach ($item in $items) { [pscustomobject]@{ Key = @($item | ForEach-Object $key)[0]; Item = $item } }
        # LINQ's OrderBy is stable, as Sort-Object is.
        $selector = [Func[object, object]] { param($pair) $pair.Key }
        $sorted = if ($Descending) { [System.Linq.Enumerable]::OrderByDescending([object[]]@($keyed), $selector) } else { [System.Linq.Enumerable]::OrderBy([object[]]@($keyed), $selector) }
        foreach ($pair in $sorted) { $pair.Item }
    }
}

function Select-Object {
    param([int] $First, [Parameter(ValueFromPipeline)] $InputObject)
    begin { $taken = 0 }
    process { if ($taken -lt $First) { $taken++; $InputObject } }
}

function Group-Object {
    param([Parameter(Position = 0)][string] $Property, [switch] $NoElement, [Parameter(ValueFromPipeline)] $InputObject)
    begin { $groups = [ordered]@{} }
    process {
        $name = [string]$InputObject.$Property
        if (-not $groups.Contains($name)) { $groups[$name] = 0 }
        $groups[$name]++
    }
    end { foreach ($name in $groups.Keys) { [pscustomobject]@{ Count = $groups[$name]; Name = $name } } }
}

function Get-Date { [datetime]::Now }
